package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.db.BusSchema;
import io.sluice.bus.db.Transactions;
import io.sluice.bus.outbox.OutboxSignal;
import io.sluice.bus.task.PruneHandledEventsTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.bus.testapp.Counters;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Old handled-event records and published outbox rows go; recent ones and unpublished rows stay. */
class PruneHandledEventsTaskTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void records_past_their_retention_are_deleted_and_the_rest_is_kept() throws Exception {
        try (BusHarness harness = new BusHarness("prune")) {
            BusSchema.migrate(harness.countingSchema, BusHarness.SCHEMA, null);
            try (Connection connection = harness.countingSchema.getConnection();
                 Statement sql = connection.createStatement()) {
                sql.executeUpdate("INSERT INTO bus_processed_event (consumer, event_key, processed_at) "
                        + "SELECT 'c', 'old-' || i, timestamptz '2026-11-01T00:00:00Z' FROM generate_series(1, 12000) i");
                sql.executeUpdate("INSERT INTO bus_processed_event (consumer, event_key, processed_at) "
                        + "VALUES ('c', 'recent', timestamptz '2026-11-20T00:00:00Z')");
                sql.executeUpdate("INSERT INTO bus_outbox (topic, record_value, event_id, published_at) VALUES "
                        + "('t', 'x', 'published-long-ago', timestamptz '2026-11-20T00:00:00Z'), "
                        + "('t', 'x', 'published-just-now', timestamptz '2026-11-22T11:59:00Z'), "
                        + "('t', 'x', 'unpublished', NULL)");
            }
            BusRuntime runtime = new BusRuntime("test", null, new Transactions(harness.countingSchema), null,
                    new OutboxSignal(), null, null, null, Clock.fixed(NOW, ZoneOffset.UTC));

            new PruneHandledEventsTask(Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(1))
                    .runOnce(new TaskContext(runtime));

            assertThat(Counters.count(harness.countingSchema, "SELECT count(*) FROM bus_processed_event")).isEqualTo(1);
            assertThat(Counters.count(harness.countingSchema, "SELECT count(*) FROM bus_outbox WHERE event_id IN "
                    + "('published-just-now', 'unpublished')")).isEqualTo(2);
            assertThat(harness.outboxRows()).isEqualTo(2);
        }
    }
}
