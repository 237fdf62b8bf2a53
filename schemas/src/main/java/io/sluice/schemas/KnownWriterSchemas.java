package io.sluice.schemas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/** The writer schemas a codec reads, by fingerprint, each with a reader that resolves it to the current class. */
final class KnownWriterSchemas<T> {

    /** A writer schema and the name of its version ("v1"). */
    record LabelledSchema(String label, Schema schema) {
    }

    /** One writer schema the codec can read, the names of its versions, and its reader. */
    record WriterVersion<T>(String label, Schema schema, long fingerprint, SpecificDatumReader<T> reader) {
    }

    private final Map<Long, WriterVersion<T>> byFingerprint;

    KnownWriterSchemas(Schema current, List<LabelledSchema> older, SpecificData model) {
        Map<Long, WriterVersion<T>> versions = new LinkedHashMap<>();
        long currentFingerprint = SingleObjectEncoding.fingerprintOf(current);
        versions.put(currentFingerprint, new WriterVersion<>("current", current, currentFingerprint,
                new SpecificDatumReader<>(current, current, model)));
        for (LabelledSchema schema : older) {
            long fingerprint = SingleObjectEncoding.fingerprintOf(schema.schema());
            WriterVersion<T> same = versions.get(fingerprint);
            // Schemas with one fingerprint differ at most in docs or defaults, which do not matter to a writer:
            // the first one read stays, the others only add their names.
            versions.put(fingerprint, same != null
                    ? new WriterVersion<>(same.label() + " = " + schema.label(), same.schema(), fingerprint, same.reader())
                    : new WriterVersion<>(schema.label(), schema.schema(), fingerprint,
                            new SpecificDatumReader<>(schema.schema(), current, model)));
        }
        this.byFingerprint = Map.copyOf(versions);
    }

    Optional<WriterVersion<T>> find(long fingerprint) {
        return Optional.ofNullable(byFingerprint.get(fingerprint));
    }

    /** The known versions and their fingerprints, for error messages: "current = v1 [7a c7 ...]". */
    String describe() {
        return byFingerprint.values().stream()
                .map(version -> version.label() + " [" + SingleObjectEncoding.hex(version.fingerprint()) + "]")
                .sorted()
                .collect(Collectors.joining(", "));
    }
}
