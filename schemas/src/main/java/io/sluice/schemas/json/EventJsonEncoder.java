package io.sluice.schemas.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.events.EventMetadata;
import io.sluice.events.SealedSecret;
import io.sluice.schemas.Envelopes;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The one Avro-to-JSON encoder of Sluice's events, for every view of them (the cli's {@code sluice events} and
 * job-service's {@code /jobs/{id}/events}): field names as in the schemas, times as ISO-8601 text, unions without
 * tags, enums by name, bytes in base64, and a sealed secret as sealed (its key and algorithm, never its ciphertext).
 *
 * <p>The record form: {@code {topic, partition, offset, timestamp, key, metadata: {eventId, occurredAt,
 * correlationId, causationId, producer}, type, payload}}, {@code type} being the payload's record name.
 */
public final class EventJsonEncoder {

    /** Full name of the one schema type that carries a secret's value: always shown sealed. */
    private static final String SEALED_SECRET = SealedSecret.getClassSchema().getFullName();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJsonEncoder() {
    }

    /** A consumed record of any Sluice topic, decoded: the record form. */
    public static ObjectNode record(RecordPlace place, String key, SpecificRecordBase envelope) {
        return record(place, key, event(Envelopes.metadataOf(envelope), (SpecificRecord) Envelopes.payloadOf(envelope)));
    }

    /** The record form from its place and key and the event part made by {@link #event} (perhaps stored before). */
    public static ObjectNode record(RecordPlace place, String key, ObjectNode event) {
        ObjectNode record = placed(place, key);
        record.set("metadata", event.get("metadata"));
        record.set("type", event.get("type"));
        record.set("payload", event.get("payload"));
        return record;
    }

    /**
     * A record that could not be decoded, shown with its place and why: {@code {topic, partition, offset, timestamp,
     * key, undecodable: reason, size}}.
     */
    public static ObjectNode undecodable(RecordPlace place, String key, String reason, int size) {
        ObjectNode record = placed(place, key);
        record.put("undecodable", reason);
        record.put("size", size);
        return record;
    }

    /** The event part of the record form, what a record says whatever its place: {@code {metadata, type, payload}}. */
    public static ObjectNode event(EventMetadata metadata, SpecificRecord payload) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(payload, "payload");
        ObjectNode event = NODES.objectNode();
        event.set("metadata", value(metadata));
        event.put("type", payload.getSchema().getName());
        event.set("payload", value(payload));
        return event;
    }

    /** Any Avro value as the encoder writes it. */
    public static JsonNode value(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case IndexedRecord record when SEALED_SECRET.equals(record.getSchema().getFullName()) -> sealed(record);
            case IndexedRecord record -> {
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : record.getSchema().getFields()) {
                    object.set(field.name(), value(record.get(field.pos())));
                }
                yield object;
            }
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((name, item) -> object.set(String.valueOf(name), value(item)));
                yield object;
            }
            case Collection<?> items -> {
                ArrayNode array = NODES.arrayNode();
                items.forEach(item -> array.add(value(item)));
                yield array;
            }
            case CharSequence text -> NODES.textNode(text.toString());
            case Boolean bool -> NODES.booleanNode(bool);
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case Float number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            case Instant instant -> NODES.textNode(instant.toString());
            case TemporalAccessor time -> NODES.textNode(time.toString());
            case ByteBuffer bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytesOf(bytes)));
            case GenericFixed fixed -> NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
            case Enum<?> symbol -> NODES.textNode(symbol.name());
            case GenericEnumSymbol<?> symbol -> NODES.textNode(symbol.toString());
            default -> NODES.textNode(value.toString());
        };
    }

    /** One line of JSON text. */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree the encoder built cannot be written: " + e.getMessage(), e);
        }
    }

    /** Reads back JSON text the encoder wrote (e.g. an event part stored in a database). */
    public static ObjectNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException("expected a JSON object, got " + node.getNodeType());
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode placed(RecordPlace place, String key) {
        ObjectNode record = NODES.objectNode();
        record.put("topic", place.topic());
        record.put("partition", place.partition());
        record.put("offset", place.offset());
        record.put("timestamp", place.timestamp() == null ? null : place.timestamp().toString());
        record.put("key", key);
        return record;
    }

    /** A secret's value stays sealed: which key opens it and how, and its size; the ciphertext itself is left out. */
    private static ObjectNode sealed(IndexedRecord secret) {
        ObjectNode object = NODES.objectNode();
        object.put("sealed", true);
        for (Schema.Field field : secret.getSchema().getFields()) {
            Object fieldValue = secret.get(field.pos());
            if (fieldValue instanceof ByteBuffer bytes) {
                object.put(field.name() + "Bytes", bytes.remaining());
            } else {
                object.set(field.name(), value(fieldValue));
            }
        }
        return object;
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
