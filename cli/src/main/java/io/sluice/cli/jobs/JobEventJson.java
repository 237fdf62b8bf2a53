package io.sluice.cli.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.events.logs.LogStream;
import io.sluice.schemas.json.EventJsonEncoder;

/**
 * The one JSON form of what {@code watch} and {@code logs} print with {@code -o json}, one object per line: an event
 * ({@code {"jobId", "topic", "time", "event", "eventId", "causationId", "text", "payload"}}) or a line of a step's
 * output ({@code {"jobId", "step", "stream", "line"}}). The payload is written by the one encoder of the events
 * ({@link EventJsonEncoder}), as {@code sluice events -o json} and job-service's history write it.
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
        line.set("payload", EventJsonEncoder.value(record.payload()));
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

    private static String write(ObjectNode line) {
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings, numbers and booleans always writes", e);
        }
    }
}
