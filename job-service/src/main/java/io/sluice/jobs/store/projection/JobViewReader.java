package io.sluice.jobs.store.projection;

import io.sluice.bus.db.SqlTimes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads jobs from the projection tables. */
@Singleton
public final class JobViewReader {

    /** A page of jobs in submission order, after the job with sequence {@code afterSeq}; the last seq for paging. */
    public record Page(List<JobView> jobs, Long lastSeq) {
    }

    /**
     * Jobs with their steps (one row per step) and resources (as arrays) in one statement, so that reading a job
     * for its snapshot, which the projection does for every event, costs one round trip instead of three.
     */
    private static final String WITH_STEPS_AND_RESOURCES = "SELECT v.*, s.step_index AS s_index, s.name AS s_name, "
            + "s.state AS s_state, s.attempt AS s_attempt, s.pid AS s_pid, s.started_at AS s_started_at, "
            + "s.duration_ms AS s_duration_ms, s.exit_code AS s_exit_code, s.signal AS s_signal, "
            + "s.oom_killed AS s_oom_killed, s.reason AS s_reason, "
            + "ARRAY(SELECT r.type FROM job_resource_view r WHERE r.job_id = v.job_id ORDER BY r.type) AS r_types, "
            + "ARRAY(SELECT r.resource_id FROM job_resource_view r WHERE r.job_id = v.job_id ORDER BY r.type) "
            + "AS r_ids FROM (%s) v LEFT JOIN job_step s ON s.job_id = v.job_id ORDER BY v.seq, s.step_index";
    private static final RoundTrip.Statement PLANNED_FOR_THE_VALUES = new RoundTrip.Statement(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)");
    private static final String FIND = WITH_STEPS_AND_RESOURCES.formatted("SELECT * FROM job_view WHERE job_id = ?");

    public Optional<JobView> find(Connection connection, String jobId) throws SQLException {
        return findAfter(connection, List.of(), jobId);
    }

    /** Runs {@code changes}, then reads the job as they left it, all in one round trip. */
    public Optional<JobView> findAfter(Connection connection, List<RoundTrip.Statement> changes, String jobId)
            throws SQLException {
        return RoundTrip.runThenQuery(connection, changes, new RoundTrip.Statement(FIND, jobId), JobViewReader::read).stream()
                .findFirst().map(Sequenced::view);
    }

    /**
     * A page of the jobs that match the filters given; the statement names only those. It is planned for their values
     * (set_config, for the round trip only): the service's sessions plan a statement run often once, without its
     * values (application.yml), and such a plan reads a rare state's jobs by walking all jobs in submission order.
     */
    public Page page(Connection connection, String state, String owner, long afterSeq, int limit)
            throws SQLException {
        StringBuilder where = new StringBuilder("seq > ?");
        List<Object> parameters = new ArrayList<>(List.of(afterSeq));
        if (state != null) {
            where.append(" AND state = ?");
            parameters.add(state);
        }
        if (owner != null) {
            where.append(" AND owner = ?");
            parameters.add(owner);
        }
        parameters.add(limit);
        String page = WITH_STEPS_AND_RESOURCES.formatted("SELECT * FROM job_view WHERE " + where
                + " ORDER BY seq LIMIT ?");
        List<Sequenced> read = RoundTrip.runThenQuery(connection, List.of(PLANNED_FOR_THE_VALUES),
                new RoundTrip.Statement(page, parameters.toArray()), JobViewReader::read);
        List<JobView> jobs = read.stream().map(Sequenced::view).toList();
        return new Page(jobs, jobs.size() == limit ? read.get(read.size() - 1).seq() : null);
    }

    /** A job read with its place in submission order. */
    private record Sequenced(JobView view, long seq) {
    }

    /** Folds the rows of {@link #WITH_STEPS_AND_RESOURCES} (a job's rows are adjacent) into jobs. */
    private static List<Sequenced> read(ResultSet row) throws SQLException {
        List<Sequenced> jobs = new ArrayList<>();
        JobRows current = null;
        while (row.next()) {
            if (current == null || !current.jobId().equals(row.getString("job_id"))) {
                if (current != null) {
                    jobs.add(current.build());
                }
                current = new JobRows(row);
            }
            current.addStep(row);
        }
        if (current != null) {
            jobs.add(current.build());
        }
        return jobs;
    }

    /** A job being read: its own columns and resources from its first row, a step from each of its rows. */
    private static final class JobRows {
        private final JobView withoutSteps;
        private final long seq;
        private final List<JobView.StepView> steps = new ArrayList<>();

        JobRows(ResultSet row) throws SQLException {
            this.seq = row.getLong("seq");
            this.withoutSteps = new JobView(row.getString("job_id"), row.getString("owner"), row.getString("name"),
                    row.getString("target"), row.getString("state"), row.getInt("attempt"),
                    integer(row, "current_step_index"), row.getString("current_step"), row.getString("worker_id"),
                    row.getString("node_id"), row.getString("outcome"), row.getString("reason"),
                    new JobView.Milestones(SqlTimes.instant(row, "submitted_at"), SqlTimes.instant(row, "queued_at"),
                            SqlTimes.instant(row, "worker_assigned_at"), SqlTimes.instant(row, "started_at"),
                            SqlTimes.instant(row, "stop_requested_at"), SqlTimes.instant(row, "finished_at"),
                            SqlTimes.instant(row, "cleaned_up_at")),
                    List.of(), resources(row), row.getLong("version"));
        }

        String jobId() {
            return withoutSteps.jobId();
        }

        void addStep(ResultSet row) throws SQLException {
            Integer index = integer(row, "s_index");
            if (index != null) {
                steps.add(new JobView.StepView(index, row.getString("s_name"), row.getString("s_state"),
                        row.getInt("s_attempt"), integer(row, "s_pid"), SqlTimes.instant(row, "s_started_at"),
                        nullableLong(row, "s_duration_ms"), integer(row, "s_exit_code"), row.getString("s_signal"),
                        row.getBoolean("s_oom_killed"), row.getString("s_reason")));
            }
        }

        Sequenced build() {
            return new Sequenced(withoutSteps.withSteps(List.copyOf(steps)), seq);
        }

        private static List<JobView.ResourceView> resources(ResultSet row) throws SQLException {
            String[] types = (String[]) row.getArray("r_types").getArray();
            String[] ids = (String[]) row.getArray("r_ids").getArray();
            List<JobView.ResourceView> resources = new ArrayList<>();
            for (int i = 0; i < types.length; i++) {
                resources.add(new JobView.ResourceView(types[i], ids[i]));
            }
            return resources;
        }
    }

    /**
     * At most {@code limit} events of the job's history after position {@code afterPosition}, in order, each as the
     * event part of the record form (metadata, type, payload) the projection stored.
     */
    public List<StoredHistory> history(Connection connection, String jobId, int afterPosition, int limit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT position, event_id, event_type, "
                + "occurred_at, coalesce(event_text, detail::text) FROM job_history WHERE job_id = ? AND position > ? "
                + "ORDER BY position "
                + "LIMIT ?")) {
            select.setString(1, jobId);
            select.setInt(2, afterPosition);
            select.setInt(3, limit);
            List<StoredHistory> history = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    history.add(new StoredHistory(row.getInt(1), row.getString(2), row.getString(3),
                            row.getTimestamp(4).toInstant(), row.getString(5)));
                }
            }
            return history;
        }
    }

    /**
     * A history row as stored: the event part of the record form as the encoder wrote it ({@code {metadata, type,
     * payload}}); rows written before the history held it hold the payload's fields alone.
     */
    public record StoredHistory(int position, String eventId, String type, Instant occurredAt, String detailJson) {
    }

    private static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
