package io.sluice.bus.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plumbing's metrics, as Prometheus shows them: {@code sluice_events_consumed_total{consumer,outcome}},
 * {@code sluice_dead_letters_total{consumer,topic}}, {@code sluice_outbox_published_total} and the
 * {@code sluice_outbox_unpublished} backlog; the Kafka clients' own through {@link KafkaClientMeters}.
 */
public final class BusMetrics {

    /** What became of a consumed record. */
    public enum Outcome {
        APPLIED("applied"), DUPLICATE("duplicate"), DEAD_LETTERED("dead_lettered"), NOT_CONCERNED("not_concerned");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Counter published;
    private final AtomicLong unpublished = new AtomicLong();

    public BusMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Counter.builder("sluice.outbox.published")
                .description("Outbox rows the relay published and the broker acknowledged")
                .register(registry);
        Gauge.builder("sluice.outbox.unpublished", unpublished, AtomicLong::get)
                .description("Outbox rows committed but not yet published")
                .register(registry);
    }

    public void consumed(String consumer, Outcome outcome) {
        consumed(consumer, outcome, 1);
    }

    public void consumed(String consumer, Outcome outcome, int records) {
        if (records == 0) {
            return;
        }
        Counter.builder("sluice.events.consumed")
                .description("Records a consumer loop took off its topic, by what became of them")
                .tag("consumer", consumer)
                .tag("outcome", outcome.tag)
                .register(registry)
                .increment(records);
    }

    /**
     * A consumer sent a record of {@code topic} (its name without the namespace's prefix, so one series per topic) to
     * the dead-letter topic.
     */
    public void deadLettered(String consumer, String topic) {
        deadLetters(consumer, topic).increment();
    }

    /**
     * Shows {@code consumer}'s dead letters of {@code topic} at 0 until it sends one, so that the series exists from
     * the start and the first dead letter is an increase Prometheus sees.
     */
    public void consumes(String consumer, String topic) {
        deadLetters(consumer, topic);
    }

    private Counter deadLetters(String consumer, String topic) {
        return Counter.builder("sluice.dead.letters")
                .description("Records a consumer could not apply and sent to the dead-letter topic, by their topic")
                .tag("consumer", consumer)
                .tag("topic", topic)
                .register(registry);
    }

    /** The registry the plumbing's meters live in, for the Kafka clients it binds. */
    public MeterRegistry registry() {
        return registry;
    }

    public void published(int rows) {
        published.increment(rows);
    }

    public void unpublishedBacklog(long rows) {
        unpublished.set(rows);
    }
}
