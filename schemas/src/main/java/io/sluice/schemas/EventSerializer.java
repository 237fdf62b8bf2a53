package io.sluice.schemas;

import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer of a topic's envelopes with Avro single-object encoding; a null value stays null (a tombstone).
 *
 * <p>Construct it with a codec, or by class name with the config {@value EventSerdeConfig#TOPIC_CONFIG} naming the
 * catalogue topic.
 */
public final class EventSerializer<T extends SpecificRecordBase> implements Serializer<T> {

    private EventCodec<T> codec;

    public EventSerializer(EventCodec<T> codec) {
        this.codec = codec;
    }

    /** For Kafka's instantiation by class name; {@link #configure} then picks the topic. */
    public EventSerializer() {
    }

    public static <T extends SpecificRecordBase> EventSerializer<T> forTopic(Topic topic) {
        return new EventSerializer<>(EventCodec.forTopic(topic));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (codec == null) {
            codec = EventCodec.forTopic(EventSerdeConfig.topicFrom(configs));
        }
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        if (codec == null) {
            throw new IllegalStateException("EventSerializer was not configured with " + EventSerdeConfig.TOPIC_CONFIG);
        }
        try {
            return codec.encode(value);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("cannot serialize a value for topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
