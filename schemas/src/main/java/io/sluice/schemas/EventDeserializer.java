package io.sluice.schemas;

import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of a topic's envelopes, reading every schema version this module ships; bytes it cannot
 * decode raise a {@link SerializationException} naming the topic, whose cause is an {@link UndecodableEventException}.
 *
 * <p>Construct it with a codec, or by class name with the config {@value EventSerdeConfig#TOPIC_CONFIG} naming the
 * catalogue topic.
 */
public final class EventDeserializer<T extends SpecificRecordBase> implements Deserializer<T> {

    private EventCodec<T> codec;

    public EventDeserializer(EventCodec<T> codec) {
        this.codec = codec;
    }

    /** For Kafka's instantiation by class name; {@link #configure} then picks the topic. */
    public EventDeserializer() {
    }

    public static <T extends SpecificRecordBase> EventDeserializer<T> forTopic(Topic topic) {
        return new EventDeserializer<>(EventCodec.forTopic(topic));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (codec == null) {
            codec = EventCodec.forTopic(EventSerdeConfig.topicFrom(configs));
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (codec == null) {
            throw new IllegalStateException("EventDeserializer was not configured with " + EventSerdeConfig.TOPIC_CONFIG);
        }
        try {
            return codec.decode(data);
        } catch (UndecodableEventException e) {
            throw new SerializationException("undecodable record on topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
