package io.sluice.cli.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.events.JobSpec;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.logs.LogChunk;
import io.sluice.schemas.Topic;
import io.sluice.schemas.json.EventJsonEncoder;
import io.sluice.schemas.json.RecordPlace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The compact line {@code sluice events} prints for a record a person reads: time, place, key, type and the payload's
 * few telling fields; a log chunk's step, stream, sequence and text; a dead letter's origin, error and original.
 */
final class EventLine {

    /** At most this many characters of a log chunk's text, or of one field's value. */
    static final int TEXT_SHOWN = 200;
    private static final int VALUE_SHOWN = 60;
    private static final int FIELDS_SHOWN = 6;

    private EventLine() {
    }

    static String of(ReadRecord record) {
        RecordPlace place = record.place();
        return place.timestamp() + "  " + place + "  " + (record.key() == null ? "-" : record.key()) + "  "
                + describe(record);
    }

    /** The type and the telling fields of a record, or why it could not be read. */
    static String describe(ReadRecord record) {
        if (record.tombstone()) {
            return "(tombstone: no value)";
        }
        if (!record.decoded()) {
            return "UNDECODABLE " + record.problem();
        }
        return record.type() + fields(record.payload(), record.key());
    }

    /** The payload's telling fields, each as {@code name=value}, with a leading space when there are any. */
    static String fields(SpecificRecord payload, String key) {
        return switch (payload) {
            case LogChunk chunk -> " step=" + chunk.getProcess() + " stream=" + chunk.getStream() + " seq="
                    + chunk.getSequence() + (chunk.getTruncated() ? " (the log's last: output after it was dropped)"
                    : "") + " " + quoted(text(chunk.getData()), TEXT_SHOWN);
            case DeadLetter letter -> deadLetter(letter);
            case JobSubmitted submitted -> " " + spec(submitted.getSpec());
            case JobAccepted accepted -> " " + spec(accepted.getSpec());
            default -> generic(payload, key);
        };
    }

    private static String spec(JobSpec spec) {
        return "owner=" + spec.getOwner() + " name=" + quotedIfNeeded(spec.getName()) + " target=" + spec.getTarget()
                + " steps=" + spec.getSteps().size() + (spec.getResources().isEmpty() ? ""
                : " resources=" + spec.getResources().size());
    }

    private static String deadLetter(DeadLetter letter) {
        StringBuilder line = new StringBuilder(" of " + letter.getSourceTopic() + "/" + letter.getPartition() + "@"
                + letter.getOffset() + " consumer=" + letter.getConsumer() + " error=" + simpleName(
                letter.getErrorClass()) + ": " + bounded(letter.getErrorMessage(), TEXT_SHOWN));
        ReadRecord original = original(letter);
        line.append(" | original: ").append(original.decoded() ? original.type() + fields(original.payload(),
                original.key()) : describe(original));
        return line.toString();
    }

    /** The dead-lettered record itself, decoded with its topic's codec when its topic is one of Sluice's. */
    static ReadRecord original(DeadLetter letter) {
        String sourceTopic = letter.getSourceTopic();
        Topic topic = null;
        for (Topic candidate : Topic.values()) {
            if (sourceTopic.endsWith(candidate.topicName())) {
                topic = candidate;
            }
        }
        RecordPlace place = new RecordPlace(sourceTopic, letter.getPartition(), letter.getOffset(),
                letter.getSourceTimestamp());
        String key = letter.getKey() == null ? null : text(letter.getKey());
        return ReadRecord.decode(topic, place, key, letter.getValue() == null ? null : bytes(letter.getValue()));
    }

    private static String generic(SpecificRecord payload, String key) {
        JsonNode node = EventJsonEncoder.value(payload);
        List<String> shown = new ArrayList<>();
        var names = node.fieldNames();
        while (names.hasNext() && shown.size() < FIELDS_SHOWN) {
            String name = names.next();
            JsonNode value = node.get(name);
            if (value.isNull() || (value.isTextual() && value.asText().equals(key))) {
                continue;
            }
            if (value.isArray()) {
                shown.add(name + "=[" + value.size() + "]");
            } else if (value.isObject()) {
                shown.add(name + "={" + value.size() + "}");
            } else {
                shown.add(name + "=" + quotedIfNeeded(bounded(value.asText(), VALUE_SHOWN)));
            }
        }
        return shown.isEmpty() ? "" : " " + String.join(" ", shown);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String quotedIfNeeded(String text) {
        return text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c == '"') ? quoted(text, VALUE_SHOWN) : text;
    }

    /** Text in double quotes, control characters escaped, cut at {@code limit} characters with the length said. */
    static String quoted(String text, int limit) {
        String shown = bounded(text, limit);
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    static String bounded(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "...(" + text.length() + " chars)";
    }

    private static String text(ByteBuffer data) {
        return new String(bytes(data), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
