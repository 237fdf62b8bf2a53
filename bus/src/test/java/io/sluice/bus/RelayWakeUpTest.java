package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.db.BusSchema;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.kafka.KafkaSettings;
import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.outbox.OutboxNotifications;
import io.sluice.bus.outbox.OutboxRelay;
import io.sluice.bus.outbox.OutboxSessions;
import io.sluice.bus.outbox.OutboxSignal;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * A relay whose idle poll would not come for an hour still publishes at once a row that another instance committed
 * (here: a plain connection, which signals nothing in this process): the commit's notification wakes it.
 */
class RelayWakeUpTest {

    private static final OutboxRelay.RelaySettings HOUR_LONG_IDLE_POLL = new OutboxRelay.RelaySettings(500,
            Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void a_row_committed_by_another_instance_wakes_the_relay() throws Exception {
        try (BusHarness harness = new BusHarness("relay-wake-up")) {
            DataSource schema = harness.countingSchema;
            BusSchema.migrate(schema, BusHarness.SCHEMA, null);
            OutboxSignal signal = new OutboxSignal();
            try (var producer = new KafkaProducer<byte[], byte[]>(KafkaSettings.producer(
                    harness.scope.bootstrapServers(), "relay-wake-up"));
                 OutboxRelay relay = new OutboxRelay(schema, producer, signal, new ServiceHealth(),
                         CrashPoints.NONE, new BusMetrics(new SimpleMeterRegistry()), HOUR_LONG_IDLE_POLL);
                 OutboxNotifications notifications = new OutboxNotifications(schema, BusHarness.SCHEMA, signal,
                         new OutboxSessions(), Duration.ofMillis(200))) {
                relay.start();
                notifications.start();
                String topic = harness.topic(Topic.JOB_EVENTS);
                for (int i = 0; i < 3; i++) {
                    BusHarness.commitOutboxRow(schema, topic, "row-" + i);
                    harness.scope.topicReader().awaitRecords(topic, i + 1, BusHarness.DEADLINE);
                }
                List<ConsumerRecord<byte[], byte[]>> published = harness.scope.topicReader().readAll(topic);
                assertThat(published).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .containsExactlyInAnyOrder("row-0", "row-1", "row-2");
            }
        }
    }
}
