package io.sluice.jobs.store.projection;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

/** Writes an Avro event as plain JSON a person can read: field names, strings, numbers, ISO times, no union tags. */
public final class EventJson {

    private EventJson() {
    }

    public static String of(Object value) {
        StringBuilder json = new StringBuilder();
        write(value, json);
        return json.toString();
    }

    private static void write(Object value, StringBuilder json) {
        switch (value) {
            case null -> json.append("null");
            case IndexedRecord record -> writeRecord(record, json);
            case Map<?, ?> map -> {
                json.append('{');
                boolean first = true;
                for (var entry : map.entrySet()) {
                    json.append(first ? "" : ",");
                    first = false;
                    string(String.valueOf(entry.getKey()), json);
                    json.append(':');
                    write(entry.getValue(), json);
                }
                json.append('}');
            }
            case Collection<?> list -> {
                json.append('[');
                boolean first = true;
                for (Object item : list) {
                    json.append(first ? "" : ",");
                    first = false;
                    write(item, json);
                }
                json.append(']');
            }
            case Number number -> json.append(number);
            case Boolean bool -> json.append(bool);
            case Instant instant -> string(instant.toString(), json);
            case ByteBuffer bytes -> string(Base64.getEncoder().encodeToString(bytesOf(bytes)), json);
            case Enum<?> symbol -> string(symbol.name(), json);
            case GenericContainer other -> string(other.toString(), json);
            default -> string(value.toString(), json);
        }
    }

    private static void writeRecord(IndexedRecord record, StringBuilder json) {
        json.append('{');
        boolean first = true;
        for (Schema.Field field : record.getSchema().getFields()) {
            json.append(first ? "" : ",");
            first = false;
            string(field.name(), json);
            json.append(':');
            write(record.get(field.pos()), json);
        }
        json.append('}');
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void string(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
