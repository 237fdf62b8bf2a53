package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WorkCountsTest {

    @Test
    void the_counts_per_job_are_the_differences_divided_by_the_jobs_and_hot_is_a_share_of_the_updates() {
        WorkCounts before = new WorkCounts(Map.of("Produce", 100L, "Fetch", 1_000L, "Metadata", 10L,
                "OffsetCommit", 7L), 300, 50, 20, 40, 10, 0);
        WorkCounts after = new WorkCounts(Map.of("Produce", 140L, "Fetch", 1_400L, "Metadata", 20L,
                "OffsetCommit", 9L, "Heartbeat", 3L), 400, 200, 80, 140, 35, 30);

        assertThat(after.perJobSince(before, 10)).isEqualTo("work per job: Kafka 4.0 produce requests "
                + "(10.0 records), 40.0 fetch requests, 1.0 Metadata, 0.5 other requests; PostgreSQL 15.0 commits, "
                + "rows 6.0 inserted, 10.0 updated (25 % HOT), 3.0 deleted");
    }

    @Test
    void a_broker_outside_this_jvm_is_said_to_be_uncounted() {
        WorkCounts none = new WorkCounts(Map.of(), 0, 0, 0, 0, 0, 0);

        assertThat(none.perJobSince(none, 1)).startsWith("work per job: Kafka the broker runs outside this JVM, "
                + "uncounted; PostgreSQL 0.0 commits");
    }

    @Test
    void records_sent_and_rows_written_show_in_the_counts() throws Exception {
        IsolatedScope scope = TestInfra.shared().isolate("work-counts");
        try {
            WorkCounts before = WorkCounts.now(scope);
            try (Connection connection = scope.dataSource().getConnection();
                 Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE counted (id int PRIMARY KEY, note text)");
                sql.execute("INSERT INTO counted SELECT i, 'new' FROM generate_series(1, 3) i");
                sql.execute("UPDATE counted SET note = 'changed' WHERE id <= 2");
                sql.execute("DELETE FROM counted WHERE id = 3");
            }
            boolean brokerHere = !before.requestsByKind().isEmpty();
            if (brokerHere) {
                String topic = scope.topic("counted");
                scope.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(scope.producerProperties())) {
                    for (int i = 0; i < 5; i++) {
                        producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                                "v".getBytes(StandardCharsets.UTF_8))).get();
                    }
                }
            }

            // A backend reports its counts to the server's statistics once it is idle, within about a second; the
            // broker meters a request once it has sent the response, which the client may have read before that.
            WorkCounts after = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> WorkCounts.now(scope), now -> now.deletes() - before.deletes() >= 1
                            && (!brokerHere || produceRequests(now) - produceRequests(before) >= 5));
            assertThat(after.inserts() - before.inserts()).as("rows inserted").isEqualTo(3);
            assertThat(after.updates() - before.updates()).as("rows updated").isEqualTo(2);
            assertThat(after.hotUpdates() - before.hotUpdates()).as("updates that touched no index").isEqualTo(2);
            assertThat(after.deletes() - before.deletes()).as("rows deleted").isEqualTo(1);
            assertThat(after.commits() - before.commits()).as("commits").isGreaterThanOrEqualTo(4);
            assumeThat(brokerHere).as("the broker runs in this JVM").isTrue();
            assertThat(produceRequests(after) - produceRequests(before)).as("produce requests")
                    .isGreaterThanOrEqualTo(5);
            assertThat(after.records() - before.records()).as("records appended").isGreaterThanOrEqualTo(5);
        } finally {
            scope.close();
        }
    }

    private static long produceRequests(WorkCounts counts) {
        return counts.requestsByKind().getOrDefault("Produce", 0L);
    }
}
