package io.sluice.bus.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plumbing's metrics, as Prometheus shows them: {@code sluice_events_consumed_total{consumer,outcome}},
 * {@code sluice_outbox_published_total} and the {@code sluice_outbox_unpublished} backlog.
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

    public void published(int rows) {
        published.increment(rows);
    }

    public void unpublishedBacklog(long rows) {
        unpublished.set(rows);
    }
}
