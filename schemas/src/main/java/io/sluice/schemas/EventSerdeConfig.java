package io.sluice.schemas;

import java.util.Arrays;
import java.util.Map;

/** The Kafka client config that tells an {@link EventSerializer} or {@link EventDeserializer} made by class name its topic. */
public final class EventSerdeConfig {

    /** The catalogue topic, as its unprefixed name ({@code sluice.job.events}) or its constant ({@code JOB_EVENTS}). */
    public static final String TOPIC_CONFIG = "sluice.event.topic";

    private EventSerdeConfig() {
    }

    static Topic topicFrom(Map<String, ?> configs) {
        Object value = configs.get(TOPIC_CONFIG);
        if (value instanceof Topic topic) {
            return topic;
        }
        if (value == null) {
            throw new IllegalArgumentException("missing config " + TOPIC_CONFIG + ": one of " + Arrays.toString(Topic.values()));
        }
        String name = value.toString().strip();
        return Topic.byName(name)
                .or(() -> Arrays.stream(Topic.values()).filter(topic -> topic.name().equals(name)).findFirst())
                .orElseThrow(() -> new IllegalArgumentException(
                        TOPIC_CONFIG + "=" + name + " is no topic of the catalogue: one of " + Arrays.toString(Topic.values())));
    }
}
