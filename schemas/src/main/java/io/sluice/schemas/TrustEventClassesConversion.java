package io.sluice.schemas;

import org.apache.avro.Conversion;

/**
 * An Avro {@link Conversion} registered as a service only for its side effect: Avro instantiates every registered
 * conversion whenever it creates a data model, which each generated class does before it can be built or decoded,
 * so the event classes are trusted ({@link TrustedEventClasses}) whichever of them a program touches first.
 *
 * <p>Without it, building a record whose enum or record field falls back to its default
 * ({@code StepSpec.newBuilder()...build()}) fails with {@code SecurityException: Forbidden} in a JVM where no codec
 * was used yet. It converts nothing: no schema uses its logical type name.
 */
public final class TrustEventClassesConversion extends Conversion<TrustEventClassesConversion.NothingConverted> {

    public TrustEventClassesConversion() {
        TrustedEventClasses.install();
    }

    @Override
    public Class<NothingConverted> getConvertedType() {
        return NothingConverted.class;
    }

    @Override
    public String getLogicalTypeName() {
        return "io.sluice.trust-event-classes";
    }

    /** The converted type of a conversion that converts nothing. */
    public static final class NothingConverted {
        private NothingConverted() {
        }
    }
}
