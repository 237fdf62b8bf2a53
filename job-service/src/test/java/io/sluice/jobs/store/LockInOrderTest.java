package io.sluice.jobs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.bus.db.BusSchema;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A batch's jobs are locked in job id order whatever order its events came in: a transaction that waits for one of
 * them has locked none that sort after it, so two batches cannot hold each other's jobs.
 */
class LockInOrderTest {

    private static final String SCHEMA = "lock_in_order";

    private IsolatedScope scope;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void migrate() throws Exception {
        scope = TestInfra.shared().isolate("lockorder");
        BusSchema.migrate(scope.dataSource(), SCHEMA, "classpath:db/migration");
        try (Connection setup = open(true)) {
            for (String jobId : List.of("job-a", "job-b", "job-c")) {
                try (PreparedStatement insert = setup.prepareStatement("INSERT INTO saga_job (job_id, spec, "
                        + "spec_sha256, stage) VALUES (?, ?, 'x', 'QUEUED')")) {
                    insert.setString(1, jobId);
                    insert.setBytes(2, new byte[0]);
                    insert.executeUpdate();
                }
            }
        }
    }

    @AfterEach
    void release() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        scope.close();
    }

    @Test
    void a_batch_waiting_for_its_first_job_holds_none_of_the_later_ones() throws Exception {
        Connection holder = open(false);
        lockOne(holder, "job-b", false);

        Connection batch = open(false);
        int batchPid = pidOf(batch);
        CompletableFuture<Void> locked = CompletableFuture.runAsync(() -> {
            try {
                new SagaStore().lockInOrder(batch, List.of("job-c", "job-b", "job-a"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waitingForALock(batchPid));

        // The batch holds job-a (before job-b) and waits for job-b: job-c, after it, is still free.
        Connection other = open(false);
        lockOne(other, "job-c", true);
        other.rollback();
        assertThatThrownBy(() -> lockOne(other, "job-a", true)).isInstanceOf(SQLException.class)
                .hasMessageContaining("could not obtain lock");
        other.rollback();
        assertThat(locked).isNotDone();

        holder.rollback();
        locked.get();
        assertThatThrownBy(() -> lockOne(other, "job-c", true)).isInstanceOf(SQLException.class);
        other.rollback();
        batch.rollback();
    }

    private Connection open(boolean autoCommit) throws SQLException {
        Connection connection = scope.connection(SCHEMA);
        connections.add(connection);
        connection.setAutoCommit(autoCommit);
        return connection;
    }

    private static void lockOne(Connection connection, String jobId, boolean noWait) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT job_id FROM saga_job WHERE job_id = ? FOR UPDATE" + (noWait ? " NOWAIT" : ""))) {
            select.setString(1, jobId);
            select.executeQuery().close();
        }
    }

    private static int pidOf(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private boolean waitingForALock(int pid) throws SQLException {
        try (Connection observer = scope.dataSource().getConnection();
             PreparedStatement select = observer.prepareStatement(
                     "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
            select.setInt(1, pid);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
