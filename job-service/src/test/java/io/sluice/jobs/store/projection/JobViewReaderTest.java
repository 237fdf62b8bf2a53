package io.sluice.jobs.store.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.bus.db.BusSchema;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reader folds a job's steps and resources, read in one statement, back into each job, and pages in order. */
class JobViewReaderTest {

    private static final String SCHEMA = "job_view_reader";
    private static final int FINISHED = 2_000;
    /** The driver prepares a statement on the server from its fifth execution in a session (prepareThreshold). */
    private static final int PREPARED_AFTER = 5;
    private static final JobViewReader.JobFilter ANY = new JobViewReader.JobFilter(null, null, null, null);
    private static final JobViewReader.JobFilter QUEUED = new JobViewReader.JobFilter("QUEUED", null, null, null);
    private static final JobViewReader.JobFilter ANAS_QUEUED = new JobViewReader.JobFilter("QUEUED", "ana", null, null);

    private IsolatedScope scope;
    private Connection connection;
    private final JobViewReader reader = new JobViewReader();

    @BeforeEach
    void migrate() throws Exception {
        scope = TestInfra.shared().isolate("job-view-reader");
        BusSchema.migrate(scope.dataSource(), SCHEMA, "classpath:db/migration");
        connection = scope.connection(SCHEMA);
        execute("INSERT INTO job_view (job_id, owner, name, target, state, submitted_at) VALUES "
                + "('a', 'ana', 'build', 'linux', 'RUNNING', '2026-12-01T12:00:00Z'), "
                + "('b', 'bo', 'lint', 'linux', 'QUEUED', '2026-12-01T12:00:01Z'), "
                + "('c', 'ana', 'test', 'linux', 'SUCCEEDED', '2026-12-01T12:00:02Z')");
        execute("INSERT INTO job_step (job_id, step_index, name, state, exit_code) VALUES "
                + "('a', 1, 'test', 'RUNNING', NULL), ('a', 0, 'compile', 'SUCCEEDED', 0), "
                + "('c', 0, 'only', 'SUCCEEDED', 0)");
        execute("INSERT INTO job_resource_view (job_id, type, resource_id) VALUES "
                + "('a', 'token', 'tok-7'), ('a', 'database', 'db-3'), ('c', 'lab-slot', 'slot-1')");
    }

    @AfterEach
    void release() throws Exception {
        connection.close();
        scope.close();
    }

    @Test
    void a_job_comes_with_its_steps_in_order_and_its_resources_paired() throws Exception {
        JobView a = reader.find(connection, "a").orElseThrow();
        assertThat(a.owner()).isEqualTo("ana");
        assertThat(a.state()).isEqualTo("RUNNING");
        assertThat(a.steps()).extracting(JobView.StepView::name, JobView.StepView::exitCode)
                .containsExactly(tuple("compile", 0), tuple("test", null));
        assertThat(a.resourcesHeld()).containsExactly(new JobView.ResourceView("database", "db-3"),
                new JobView.ResourceView("token", "tok-7"));

        JobView b = reader.find(connection, "b").orElseThrow();
        assertThat(b.steps()).isEmpty();
        assertThat(b.resourcesHeld()).isEmpty();
        assertThat(reader.find(connection, "nobody")).isEmpty();
    }

    @Test
    void pages_list_summaries_with_their_step_counts_and_continue_after_the_last() throws Exception {
        JobViewReader.Page first = reader.page(connection, ANY, 0, 2);
        assertThat(first.jobs()).extracting(JobSummary::jobId, JobSummary::stepCount)
                .containsExactly(tuple("a", 2), tuple("b", 0));
        assertThat(first.jobs().get(0).milestones().submitted()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
        assertThat(first.lastSeq()).isNotNull();

        JobViewReader.Page second = reader.page(connection, ANY, first.lastSeq(), 2);
        assertThat(second.jobs()).extracting(JobSummary::jobId, JobSummary::stepCount)
                .containsExactly(tuple("c", 1));
        assertThat(second.lastSeq()).isNull();
    }

    @Test
    void newest_first_pages_go_back_in_submission_order() throws Exception {
        JobViewReader.Page first = reader.page(connection, ANY, 0, 2, true);
        assertThat(first.jobs()).extracting(JobSummary::jobId).containsExactly("c", "b");

        JobViewReader.Page second = reader.page(connection, ANY, first.lastSeq(), 2, true);
        assertThat(second.jobs()).extracting(JobSummary::jobId).containsExactly("a");
        assertThat(second.lastSeq()).isNull();
    }

    @Test
    void a_page_holds_only_the_jobs_of_the_state_owner_target_and_time_asked_for() throws Exception {
        execute("INSERT INTO job_view (job_id, owner, name, target, state, submitted_at) VALUES "
                + "('g', 'ana', 'train', 'gpu', 'QUEUED', '2026-12-01T12:00:03Z')");

        assertThat(ids(new JobViewReader.JobFilter(null, "ana", null, null))).containsExactly("a", "c", "g");
        assertThat(ids(new JobViewReader.JobFilter("QUEUED", null, null, null))).containsExactly("b", "g");
        assertThat(ids(new JobViewReader.JobFilter(null, null, "gpu", null))).containsExactly("g");
        assertThat(ids(new JobViewReader.JobFilter(null, null, null, Instant.parse("2026-12-01T12:00:01Z"))))
                .containsExactly("b", "c", "g");
        assertThat(ids(new JobViewReader.JobFilter("QUEUED", "ana", "linux", null))).isEmpty();
    }

    private List<String> ids(JobViewReader.JobFilter filter) throws Exception {
        return reader.page(connection, filter, 0, 10).jobs().stream().map(JobSummary::jobId).toList();
    }

    @Test
    void a_page_of_a_rare_state_reads_that_states_jobs_only_in_a_session_that_plans_without_the_values()
            throws Exception {
        // As the service's sessions run (application.yml): a statement run often is planned once, without its values.
        execute("SET plan_cache_mode = force_generic_plan");
        execute("INSERT INTO job_view (job_id, owner, name, target, state, submitted_at) SELECT 'done-' || n, 'bo', "
                + "'build', 'linux', 'SUCCEEDED', '2026-12-01T13:00:00Z' FROM generate_series(1, " + FINISHED + ") n");
        execute("INSERT INTO job_view (job_id, owner, name, target, state, submitted_at) VALUES "
                + "('d', 'ana', 'lint', 'linux', 'QUEUED', '2026-12-01T14:00:00Z')");
        execute("ANALYZE job_view");
        for (int i = 0; i < PREPARED_AFTER; i++) {
            reader.page(connection, QUEUED, 0, 10);
            reader.page(connection, ANAS_QUEUED, 0, 10);
        }

        connection.setAutoCommit(false);
        long before = rowsFetchedFromJobView();
        JobViewReader.Page queued = reader.page(connection, QUEUED, 0, 10);
        JobViewReader.Page anasQueued = reader.page(connection, ANAS_QUEUED, 0, 10);
        long fetched = rowsFetchedFromJobView() - before;
        connection.commit();

        assertThat(queued.jobs()).extracting(JobSummary::jobId).containsExactly("b", "d");
        assertThat(anasQueued.jobs()).extracting(JobSummary::jobId).containsExactly("d");
        assertThat(fetched).as("rows of job_view read for two pages of the queued among %d finished jobs", FINISHED)
                .isLessThanOrEqualTo(10L);
        assertThat(setting("plan_cache_mode")).as("the session's own setting, after the pages").isEqualTo(
                "force_generic_plan");
    }

    /** This transaction's own count of rows fetched from job_view: no other backend's work is counted. */
    private long rowsFetchedFromJobView() throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
                     + "FROM pg_stat_xact_user_tables WHERE schemaname = '" + SCHEMA + "' AND relname = 'job_view'")) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private String setting(String name) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            row.next();
            return row.getString(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
