package io.sluice.cli.replay;

import io.sluice.schemas.Topic;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Compares what today's saga emits for an input with what was recorded for it, topic by topic in order (the order
 * across topics is not recorded): the payload's type, its key (job id, resource type, target or node) and every
 * field of the payload, nested records included. Event ids, causation and times are not compared: they are new on
 * every run (a field holding a time compares only as present or absent).
 */
final class EventComparison {

    /** An event today's saga emits: where it would go, keyed by what. */
    record Emitted(Topic topic, String key, SpecificRecord payload) {

        String type() {
            return payload.getSchema().getName();
        }
    }

    private static final int SHOWN = 160;

    private EventComparison() {
    }

    /** Each difference in a line naming the topic, the event and the field, recorded value first. */
    static List<String> differences(List<Emitted> now, List<RecordedEvent> recorded) {
        List<String> differences = new ArrayList<>();
        for (Topic topic : JobRecording.OUTPUT_TOPICS) {
            List<Emitted> nowOnTopic = now.stream().filter(e -> e.topic() == topic).toList();
            List<RecordedEvent> recordedOnTopic = recorded.stream().filter(e -> e.topic() == topic).toList();
            String name = topic.topicName();
            for (int i = 0; i < Math.max(nowOnTopic.size(), recordedOnTopic.size()); i++) {
                if (i >= nowOnTopic.size()) {
                    RecordedEvent missing = recordedOnTopic.get(i);
                    differences.add(name + ": recorded " + missing.type() + " (" + missing.place()
                            + "), not emitted now");
                    continue;
                }
                Emitted mine = nowOnTopic.get(i);
                if (i >= recordedOnTopic.size()) {
                    differences.add(name + ": now emits " + mine.type() + " [" + mine.key() + "], not recorded");
                    continue;
                }
                RecordedEvent theirs = recordedOnTopic.get(i);
                if (!mine.type().equals(theirs.type())) {
                    differences.add(name + " event " + (i + 1) + ": recorded " + theirs.type() + " ("
                            + theirs.place() + "), now " + mine.type());
                    continue;
                }
                if (!String.valueOf(theirs.key()).equals(mine.key())) {
                    differences.add(name + " " + mine.type() + " key: recorded " + theirs.key() + ", now "
                            + mine.key());
                }
                for (Schema.Field field : theirs.payload().getSchema().getFields()) {
                    Object was = normalized(theirs.payload().get(field.pos()));
                    Object is = normalized(mine.payload().get(field.pos()));
                    if (!was.equals(is)) {
                        differences.add(name + " " + mine.type() + "." + field.name() + ": recorded "
                                + shown(was) + ", now " + shown(is) + " (" + theirs.place() + ")");
                    }
                }
            }
        }
        return differences;
    }

    /** A value made comparable: text as String, times as present only, bytes by content, records by field. */
    static Object normalized(Object value) {
        return switch (value) {
            case null -> "null";
            case CharSequence text -> text.toString();
            case Instant time -> "<time>";
            case ByteBuffer bytes -> "<" + bytes.remaining() + " bytes " + Integer.toHexString(bytes.duplicate()
                    .hashCode()) + ">";
            case SpecificRecord record -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (Schema.Field field : record.getSchema().getFields()) {
                    fields.put(field.name(), normalized(record.get(field.pos())));
                }
                yield fields;
            }
            case List<?> list -> list.stream().map(EventComparison::normalized).toList();
            case Map<?, ?> map -> {
                Map<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(String.valueOf(k), normalized(v)));
                yield sorted;
            }
            case Enum<?> constant -> constant.name();
            default -> value;
        };
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
    }
}
