package io.sluice.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.db.BusSchema;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The expiry task's query finds exactly the jobs past a deadline, each once, among many that are not. */
class OverdueJobsTest {

    private static final String SCHEMA = "overdue_jobs";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private IsolatedScope scope;
    private Connection connection;

    @BeforeEach
    void migrate() throws Exception {
        scope = TestInfra.shared().isolate("overdue");
        BusSchema.migrate(scope.dataSource(), SCHEMA, "classpath:db/migration");
        connection = scope.connection(SCHEMA);
    }

    @AfterEach
    void release() throws Exception {
        connection.close();
        scope.close();
    }

    @Test
    void finds_the_jobs_past_either_deadline_once_each_in_job_id_order() throws Exception {
        for (int i = 0; i < 300; i++) {
            insert(String.format("done-%03d", i), null, null);
        }
        insert("waiting", NOW.plusSeconds(60), null);
        insert("running", null, NOW.plusSeconds(60));
        insert("queue-over", NOW.minusSeconds(1), null);
        insert("run-over", null, NOW.minusMillis(1));
        insert("both-over", NOW.minusSeconds(5), NOW.minusSeconds(3));
        insert("at-the-deadline", NOW, null);

        SagaStore store = new SagaStore();
        assertThat(store.overdue(connection, NOW, 100))
                .containsExactly("at-the-deadline", "both-over", "queue-over", "run-over");
        assertThat(store.overdue(connection, NOW, 2)).hasSize(2);
        assertThat(store.overdue(connection, NOW.minus(Duration.ofMinutes(1)), 100)).isEmpty();
    }

    private void insert(String jobId, Instant queueDeadline, Instant runDeadline) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO saga_job (job_id, spec, "
                + "spec_sha256, stage, queue_deadline, run_deadline) VALUES (?, ?, 'x', 'QUEUED', ?, ?)")) {
            insert.setString(1, jobId);
            insert.setBytes(2, new byte[0]);
            insert.setTimestamp(3, queueDeadline == null ? null : Timestamp.from(queueDeadline));
            insert.setTimestamp(4, runDeadline == null ? null : Timestamp.from(runDeadline));
            insert.executeUpdate();
        }
    }
}
