package io.sluice.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Builds an instance of any generated record with every field filled (nullable fields with a value, arrays and
 * maps with two elements), each value distinct, so a round trip that drops or swaps a field shows.
 */
final class SampleEvents {

    private final SpecificData model;
    private int counter;

    private SampleEvents(SpecificData model) {
        this.model = model;
    }

    /** The topic's envelope around a filled instance of one of its payload types. */
    static SpecificRecordBase envelopeWith(Topic topic, Schema payloadType) {
        SampleEvents samples = new SampleEvents(SpecificData.getForClass(topic.valueClass()));
        SpecificRecordBase payload = (SpecificRecordBase) samples.valueOf(payloadType, payloadType.getName());
        return Envelopes.envelope(topic, samples.metadata(), payload);
    }

    /** The event types of a topic: the branches of its envelope's payload union. */
    static List<Schema> payloadTypesOf(Topic topic) {
        return topic.valueSchema().getField(Envelopes.PAYLOAD).schema().getTypes();
    }

    private io.sluice.events.EventMetadata metadata() {
        return (io.sluice.events.EventMetadata) valueOf(io.sluice.events.EventMetadata.getClassSchema(), "metadata");
    }

    private Object valueOf(Schema schema, String path) {
        int n = ++counter;
        LogicalType logicalType = schema.getLogicalType();
        return switch (schema.getType()) {
            case RECORD -> recordOf(schema, path);
            case UNION -> valueOf(schema.getTypes().stream().filter(type -> type.getType() != Schema.Type.NULL)
                    .findFirst().orElseThrow(), path);
            case ENUM -> model.createEnum(schema.getEnumSymbols().getLast(), schema);
            case ARRAY -> List.of(valueOf(schema.getElementType(), path + "[0]"),
                    valueOf(schema.getElementType(), path + "[1]"));
            case MAP -> mapOf(schema, path);
            case STRING -> logicalType != null && "uuid".equals(logicalType.getName())
                    ? UUID.nameUUIDFromBytes(path.getBytes(StandardCharsets.UTF_8))
                    : path + "-" + n;
            case LONG -> logicalType != null && "timestamp-millis".equals(logicalType.getName())
                    ? Instant.ofEpochMilli(1_763_000_000_000L + n * 1_000L)
                    : 1_000_000_000_000L + n;
            case INT -> n;
            case BOOLEAN -> true;
            case BYTES -> ByteBuffer.wrap((path + "-" + n).getBytes(StandardCharsets.UTF_8));
            case DOUBLE -> n + 0.5;
            case FLOAT -> n + 0.25f;
            case NULL, FIXED -> throw new IllegalArgumentException("no sample for " + schema + " at " + path);
        };
    }

    private Object recordOf(Schema schema, String path) {
        SpecificRecordBase record = (SpecificRecordBase) model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), valueOf(field.schema(), path + "." + field.name()));
        }
        return record;
    }

    private Map<String, Object> mapOf(Schema schema, String path) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("first", valueOf(schema.getValueType(), path + "[first]"));
        map.put("second", valueOf(schema.getValueType(), path + "[second]"));
        return map;
    }
}
