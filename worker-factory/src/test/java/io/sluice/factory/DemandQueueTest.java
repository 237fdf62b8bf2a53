package io.sluice.factory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.factory.domain.DemandState;
import io.sluice.factory.domain.QueuedDemand;
import io.sluice.factory.store.DemandStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queued demands as placement reads them, on the factory's migrated schema: oldest first across targets, and no
 * more of a long queue than asked for (a backlog of thousands once cost milliseconds per placement).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemandQueueTest {

    private static final int BACKLOG = 2_000;
    private static final Instant AT = Instant.parse("2026-12-02T12:00:00Z");
    /** The driver prepares a statement on the server from its fifth execution in a session (prepareThreshold). */
    private static final int PREPARED_AFTER = 5;

    private final DemandStore demandStore = new DemandStore();
    private FactoryHarness harness;

    @BeforeAll
    void startFactory() throws Exception {
        // The factory migrates the schema; no node ever registers, so it places none of the demands below.
        harness = new FactoryHarness("demand-queue").startFactory(Map.of("sluice.factory.node-lost-after", "2m"));
    }

    @AfterAll
    void stopFactory() throws Exception {
        harness.close();
    }

    @Test
    void queued_demands_come_oldest_first_across_targets_after_the_given_sequence_and_up_to_the_limit()
            throws Exception {
        try (Connection connection = harness.scope.connection(FactoryHarness.SCHEMA)) {
            for (String job : List.of("q1", "q2", "q3", "q4", "q5", "q6")) {
                String target = job.equals("q2") || job.equals("q5") ? "queue-b" : "queue-a";
                demandStore.enqueue(connection, job, 1, target, target, new byte[] {1}, AT);
            }
            demandStore.enqueue(connection, "q0", 1, "queue-c", "queue-c", new byte[] {1}, AT);
            demandStore.decide(connection, "q3", 1, DemandState.PLACED, AT);
            long firstSeq = demandStore.queued(connection, List.of("queue-a"), 0, 1).getFirst().seq();

            assertThat(jobs(demandStore.queued(connection, List.of("queue-a", "queue-b"), 0, 10)))
                    .containsExactly("q1", "q2", "q4", "q5", "q6");
            assertThat(jobs(demandStore.queued(connection, List.of("queue-b", "queue-a"), firstSeq, 3)))
                    .containsExactly("q2", "q4", "q5");
            assertThat(jobs(demandStore.queued(connection, List.of("queue-b"), 0, 10))).containsExactly("q2", "q5");
            assertThat(demandStore.queued(connection, List.of("queue-none"), 0, 10)).isEmpty();
        }
    }

    @Test
    void reading_the_head_of_a_long_queue_fetches_no_more_rows_than_asked_for() throws Exception {
        // In a session of the factory's own pool, whose statements run with the plan made once per session: the plan
        // must read the queue in index order without knowing the limit.
        try (Connection connection = harness.factorySession()) {
            assertThat(setting(connection, "plan_cache_mode")).isEqualTo("force_generic_plan");
            connection.setAutoCommit(false);
            for (int i = 0; i < BACKLOG; i++) {
                demandStore.enqueue(connection, "backlog-" + i, 1, "backlog", "backlog", new byte[] {1}, AT);
            }
            connection.commit();
            for (int i = 0; i < PREPARED_AFTER; i++) {
                demandStore.queued(connection, List.of("backlog", "other"), 0, 8);
            }
            connection.commit();

            // This transaction's own counts of rows fetched from the demand table, not yet flushed to the cumulative
            // statistics, so that no other backend's work is counted.
            long before = rowsFetchedFromDemand(connection);
            List<QueuedDemand> head = demandStore.queued(connection, List.of("backlog", "other"), 0, 8);
            long fetched = rowsFetchedFromDemand(connection) - before;
            connection.commit();

            assertThat(jobs(head)).containsExactly("backlog-0", "backlog-1", "backlog-2", "backlog-3", "backlog-4",
                    "backlog-5", "backlog-6", "backlog-7");
            assertThat(fetched).as("rows of the demand table read for the first 8 of %d queued", BACKLOG)
                    .isBetween(8L, 20L);
        }
    }

    private static String setting(Connection connection, String name) throws Exception {
        try (PreparedStatement show = connection.prepareStatement("SELECT current_setting(?)")) {
            show.setString(1, name);
            try (ResultSet row = show.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static long rowsFetchedFromDemand(Connection connection) throws Exception {
        try (PreparedStatement select = connection.prepareStatement("SELECT coalesce(seq_tup_read, 0) "
                + "+ coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables WHERE schemaname = ? AND relname = "
                + "'demand'")) {
            select.setString(1, FactoryHarness.SCHEMA);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static List<String> jobs(List<QueuedDemand> demands) {
        return demands.stream().map(QueuedDemand::jobId).toList();
    }
}
