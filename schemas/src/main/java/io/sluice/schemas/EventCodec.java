package io.sluice.schemas;

import static io.sluice.schemas.SingleObjectEncoding.HEADER_LENGTH;

import io.sluice.schemas.KnownWriterSchemas.LabelledSchema;
import io.sluice.schemas.KnownWriterSchemas.WriterVersion;
import io.sluice.schemas.UndecodableEventException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Encodes a topic's values with Avro single-object encoding and decodes values written with any schema version
 * this module ships for the topic into the current generated class; thread-safe.
 */
public final class EventCodec<T extends SpecificRecordBase> {

    static {
        TrustedEventClasses.install();
    }

    private static final ConcurrentMap<Topic, EventCodec<?>> BY_TOPIC = new ConcurrentHashMap<>();
    private static final int BYTES_SHOWN = 16;

    private final Topic topic;
    private final Class<T> valueClass;
    private final BinaryMessageEncoder<T> encoder;
    private final KnownWriterSchemas<T> writerSchemas;

    private EventCodec(Topic topic, List<LabelledSchema> olderWriterSchemas) {
        this.topic = topic;
        this.valueClass = valueClassOf(topic);
        SpecificData model = SpecificData.getForClass(valueClass);
        this.encoder = new BinaryMessageEncoder<>(model, topic.valueSchema());
        this.writerSchemas = new KnownWriterSchemas<>(topic.valueSchema(), olderWriterSchemas, model);
    }

    /** The codec of a topic, reading every released version of its schema. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> EventCodec<T> forTopic(Topic topic) {
        Objects.requireNonNull(topic, "topic");
        return (EventCodec<T>) BY_TOPIC.computeIfAbsent(topic, key -> new EventCodec<>(key, releasedSchemasOf(key)));
    }

    /** The codec of the topic whose values are the given envelope class. */
    public static <T extends SpecificRecordBase> EventCodec<T> forClass(Class<T> valueClass) {
        Topic topic = Topic.byValueClass(valueClass).orElseThrow(() -> new IllegalArgumentException(
                valueClass.getName() + " is not the value class of any topic of the catalogue"));
        return forTopic(topic);
    }

    /** A codec that also reads the given older writer schemas, for tests of schema evolution. */
    static <T extends SpecificRecordBase> EventCodec<T> withExtraWriterSchemas(Topic topic, List<LabelledSchema> extra) {
        List<LabelledSchema> schemas = new ArrayList<>(releasedSchemasOf(topic));
        schemas.addAll(extra);
        return new EventCodec<>(topic, schemas);
    }

    private static List<LabelledSchema> releasedSchemasOf(Topic topic) {
        return ReleasedSchemas.of(topic).stream()
                .map(release -> new LabelledSchema(release.version(), release.schema())).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> Class<T> valueClassOf(Topic topic) {
        return (Class<T>) topic.valueClass();
    }

    public Topic topic() {
        return topic;
    }

    public Class<T> valueClass() {
        return valueClass;
    }

    /** The single-object encoding of a value: C3 01, the current schema's fingerprint, then the Avro binary body. */
    public byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        if (!valueClass.isInstance(value)) {
            throw new IllegalArgumentException("a " + value.getClass().getName() + " is not a value of topic "
                    + topic.topicName() + ", whose values are " + valueClass.getName());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(value, out);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot encode a value of topic " + topic.topicName() + ": " + e, e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes bytes written with any schema version of the topic this module ships, as the current class.
     *
     * @throws UndecodableEventException saying what is wrong with the bytes
     */
    public T decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < HEADER_LENGTH || !SingleObjectEncoding.hasMarker(bytes)) {
            throw new UndecodableEventException(topic, Problem.NOT_SINGLE_OBJECT_ENCODED,
                    "not single-object encoded: expected the marker c3 01 and an 8-byte schema fingerprint, got "
                            + describe(bytes));
        }
        long fingerprint = SingleObjectEncoding.fingerprintIn(bytes);
        WriterVersion<T> version = writerSchemas.find(fingerprint).orElseThrow(() -> new UndecodableEventException(
                topic, Problem.UNKNOWN_SCHEMA, "unknown schema fingerprint [" + SingleObjectEncoding.hex(fingerprint)
                + "]: none of the schema versions this module ships (" + writerSchemas.describe()
                + "); written by a newer release, or for another topic?"));
        return decodeBody(bytes, version);
    }

    private T decodeBody(byte[] bytes, WriterVersion<T> version) {
        try {
            // A first pass only skips over the body: it proves every length in it fits within the bytes at hand
            // before the real read allocates anything by those lengths (garbage could claim gigabytes).
            BinaryDecoder probe = bodyDecoder(bytes);
            GenericDatumReader.skip(version.schema(), probe);
            if (!probe.isEnd()) {
                throw malformed(version, probe.remainingBytes() + " bytes left over after the body", null);
            }
            return version.reader().read(null, bodyDecoder(bytes));
        } catch (UndecodableEventException e) {
            throw e;
        } catch (EOFException e) {
            throw malformed(version, "the body ends early (truncated?)", e);
        } catch (SecurityException e) {
            // Not a property of the bytes: Avro refused to load a class. Decoding anything else would fail the same way.
            throw e;
        } catch (IOException | RuntimeException e) {
            throw malformed(version, e.toString(), e);
        }
    }

    private static BinaryDecoder bodyDecoder(byte[] bytes) {
        return DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
    }

    private UndecodableEventException malformed(WriterVersion<T> version, String detail, Throwable cause) {
        return new UndecodableEventException(topic, Problem.MALFORMED_BODY, "the body does not match the schema "
                + version.schema().getFullName() + " " + version.label() + " [" + SingleObjectEncoding.hex(
                version.fingerprint()) + "]: " + detail, cause);
    }

    private static String describe(byte[] bytes) {
        byte[] shown = Arrays.copyOf(bytes, Math.min(bytes.length, BYTES_SHOWN));
        return bytes.length + " bytes" + (bytes.length == 0 ? "" : " starting "
                + HexFormat.ofDelimiter(" ").formatHex(shown) + (bytes.length > BYTES_SHOWN ? " ..." : ""));
    }
}
