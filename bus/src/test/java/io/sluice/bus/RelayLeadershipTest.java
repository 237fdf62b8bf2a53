package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.db.BusSchema;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.kafka.KafkaSettings;
import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.outbox.OutboxRelay;
import io.sluice.bus.outbox.OutboxSignal;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * One relay leads at a time through a session lock on a pooled connection: a second relay publishes nothing twice,
 * takes over when the leader stops, and no connection goes back to the pool still holding the lock.
 */
class RelayLeadershipTest {

    private static final OutboxRelay.RelaySettings QUICK_POLL = new OutboxRelay.RelaySettings(500,
            Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(30));

    @Test
    void the_second_relay_takes_over_when_the_leader_stops() throws Exception {
        try (BusHarness harness = new BusHarness("relay-leadership");
             HikariDataSource pool = pool(harness.countingSchema)) {
            BusSchema.migrate(pool, BusHarness.SCHEMA, null);
            String topic = harness.topic(Topic.JOB_EVENTS);
            try (var producer = new KafkaProducer<byte[], byte[]>(KafkaSettings.producer(
                    harness.scope.bootstrapServers(), "relay-leadership"))) {
                OutboxRelay first = relay(pool, producer);
                first.start();
                BusHarness.commitOutboxRow(pool, topic, "row-0");
                harness.scope.topicReader().awaitRecords(topic, 1, BusHarness.DEADLINE);

                try (OutboxRelay second = relay(pool, producer)) {
                    second.start();
                    BusHarness.commitOutboxRow(pool, topic, "row-1");
                    harness.scope.topicReader().awaitRecords(topic, 2, BusHarness.DEADLINE);
                    assertThat(relayLocksHeld(pool)).as("only the leader holds the lock").isEqualTo(1);

                    first.close();
                    BusHarness.commitOutboxRow(pool, topic, "row-2");
                    harness.scope.topicReader().awaitRecords(topic, 3, BusHarness.DEADLINE);
                    assertThat(relayLocksHeld(pool)).as("the second relay leads now").isEqualTo(1);
                }
                assertThat(relayLocksHeld(pool)).as("no pooled session keeps the lock").isZero();
                assertThat(harness.scope.topicReader().readAll(topic))
                        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .as("each row published once").containsExactly("row-0", "row-1", "row-2");
            }
        }
    }

    private static HikariDataSource pool(DataSource schema) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(schema);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static OutboxRelay relay(DataSource pool, KafkaProducer<byte[], byte[]> producer) {
        return new OutboxRelay(pool, producer, new OutboxSignal(), new ServiceHealth(), CrashPoints.NONE,
                new BusMetrics(new SimpleMeterRegistry()), QUICK_POLL);
    }


    private static int relayLocksHeld(DataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                     + "AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            count.next();
            return count.getInt(1);
        }
    }
}
