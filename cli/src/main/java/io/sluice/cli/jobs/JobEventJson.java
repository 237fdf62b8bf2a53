package io.sluice.cli.jobs;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.events.logs.LogStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * The one JSON form of what {@code watch} and {@code logs} print with {@code -o json}, one object per line: an event
 * ({@code {"jobId", "topic", "time", "event", "eventId", "causationId", "text", "payload"}}) or a line of a step's
 * output ({@code {"jobId", "step", "stream", "line"}}). The payload is the event's Avro fields as JSON, bytes as
 * their size: a stand-in kept in this one class until the shared Avro-to-JSON encoder of {@code sluice events}
 * takes its place.
 */
final class JobEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JobEventJson() {
    }

    /** One event as a JSON line; {@code text} is what the text form says of it. */
    static String event(String jobId, String topicName, JobRecord record, String text) {
        ObjectNode line = NODES.objectNode();
        line.put("jobId", jobId);
        line.put("topic", topicName);
        line.put("time", record.occurredAt().toString());
        line.put("event", EventLines.nameOf(record.payload()));
        line.put("eventId", String.valueOf(record.metadata().getEventId()));
        line.put("causationId", record.metadata().getCausationId() == null ? null
                : record.metadata().getCausationId().toString());
        line.put("text", text);
        line.set("payload", value(record.payload()));
        return write(line);
    }

    /** One whole line of a step's output as a JSON line. */
    static String output(String jobId, String step, LogStream stream, String text) {
        ObjectNode line = NODES.objectNode();
        line.put("jobId", jobId);
        line.put("step", step);
        line.put("stream", stream.name().toLowerCase(java.util.Locale.ROOT));
        line.put("line", text);
        return write(line);
    }

    /** A note for people (a later rejection, no output yet) as a JSON line. */
    static String note(String jobId, String text) {
        ObjectNode line = NODES.objectNode();
        line.put("jobId", jobId);
        line.put("note", text);
        return write(line);
    }

    private static JsonNode value(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case IndexedRecord record -> {
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : record.getSchema().getFields()) {
                    object.set(field.name(), value(record.get(field.pos())));
                }
                yield object;
            }
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((key, item) -> object.set(String.valueOf(key), value(item)));
                yield object;
            }
            case Collection<?> items -> {
                ArrayNode array = NODES.arrayNode();
                items.forEach(item -> array.add(value(item)));
                yield array;
            }
            // Output and sealed secrets are bytes: their size tells enough here, and nothing leaks.
            case ByteBuffer bytes -> NODES.textNode("(" + bytes.remaining() + " bytes)");
            case byte[] bytes -> NODES.textNode("(" + bytes.length + " bytes)");
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case Float number -> NODES.numberNode(number);
            case Boolean bool -> NODES.booleanNode(bool);
            case Instant instant -> NODES.textNode(instant.toString());
            case GenericEnumSymbol<?> symbol -> NODES.textNode(symbol.toString());
            default -> NODES.textNode(value.toString());
        };
    }

    private static String write(ObjectNode line) {
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings, numbers and booleans always writes", e);
        }
    }
}
