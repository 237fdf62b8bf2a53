package io.sluice.well.store.provision.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The JSON an operator's commands exchange with the well: one object of string values, read from what a provision
 * command prints and written to a release command's stdin.
 *
 * <p>A reading error says what is wrong and where, never what the text was: the text holds the secrets.
 */
final class CommandMetadataJson {

    private static final int MAX_KEY_IN_MESSAGE = 80;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private CommandMetadataJson() {
    }

    /** The object's keys and values in their order, or why the text is not one object of string values. */
    static Map<String, String> read(byte[] json) throws MalformedOutputException {
        Map<String, String> values = new LinkedHashMap<>();
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedOutputException("it printed nothing");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedOutputException("its output is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw new MalformedOutputException("the value of " + quoted(key) + " is not a string");
                }
                if (values.put(key, parser.getText()) != null) {
                    throw new MalformedOutputException(quoted(key) + " appears twice");
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MalformedOutputException("more follows the JSON object");
            }
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the text it choked on.
            throw new MalformedOutputException("it is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
        return values;
    }

    /** The object of these string values, keys in sorted order, on one line. */
    static byte[] write(Map<String, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
                generator.writeStringField(entry.getKey(), entry.getValue());
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static String quoted(String key) {
        String shown = key.length() > MAX_KEY_IN_MESSAGE ? key.substring(0, MAX_KEY_IN_MESSAGE) + "..." : key;
        return '"' + shown + '"';
    }

    /** The text is not one JSON object of string values; the message says why without quoting the text. */
    static final class MalformedOutputException extends Exception {

        MalformedOutputException(String message) {
            super(message);
        }
    }
}
