package io.sluice.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Makes Avro trust the generated event classes, which Avro 1.12 otherwise refuses to instantiate when decoding
 * ({@code SecurityException: Forbidden ...}) unless the JVM was started with a system property.
 */
final class TrustedEventClasses {

    static final String EVENT_PACKAGE_PREFIX = "io.sluice.events.";

    private static boolean installed;

    private TrustedEventClasses() {
    }

    /** Adds the event package to Avro's global trust; calling it again does nothing. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityPredicate trustedSoFar = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(trustedSoFar, TrustedEventClasses::isEventClass));
        installed = true;
    }

    static boolean isEventClass(Class<?> type) {
        return type.getName().startsWith(EVENT_PACKAGE_PREFIX);
    }
}
