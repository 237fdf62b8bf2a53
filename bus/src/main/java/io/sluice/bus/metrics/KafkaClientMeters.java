package io.sluice.bus.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds a Kafka client's own metrics (consumer lag, fetch and send rates, ...) to the service's registry through
 * Micrometer's {@link KafkaClientMetrics}, tagged with the component that uses the client; every service's clients
 * are bound here, so each exports the same {@code kafka_consumer_*} and {@code kafka_producer_*} series.
 */
public final class KafkaClientMeters {

    private KafkaClientMeters() {
    }

    /** Binds {@code consumer}'s metrics as those of {@code component}; closing the result removes them. */
    public static AutoCloseable bind(MeterRegistry registry, Consumer<?, ?> consumer, String component) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, Tags.of("component", component));
        metrics.bindTo(registry);
        return metrics;
    }

    /** Binds {@code producer}'s metrics as those of {@code component}; closing the result removes them. */
    public static AutoCloseable bind(MeterRegistry registry, Producer<?, ?> producer, String component) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer, Tags.of("component", component));
        metrics.bindTo(registry);
        return metrics;
    }
}
