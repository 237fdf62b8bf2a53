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
    public record Page(List<JobSummary> jobs, Long lastSeq) {
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
     * A page of the jobs that match the filters given (each null for any), as summaries without their steps: a job's
     * steps may be thousands, and a page holds up to its limit of jobs. The statement names only the filters given and
     * is planned for their values (set_config, for the round trip only): the service's sessions plan a statement run
     * often once, without its values (application.yml), and such a plan reads a rare state's jobs by walking all jobs
     * in submission order.
     */
    public Page page(Connection connection, JobFilter filter, long afterSeq, int limit) throws SQLException {
        return page(connection, filter, afterSeq, limit, false);
    }

    /**
     * As {@link #page(Connection, JobFilter, long, int)}, the newest first when {@code newestFirst}: then the page
     * continues before {@code afterSeq} (0 for the first page).
     */
    public Page page(Connection connection, JobFilter filter, long afterSeq, int limit, boolean newestFirst)
            throws SQLException {
        StringBuilder where = new StringBuilder(newestFirst ? "seq < ?" : "seq > ?");
        List<Object> parameters = new ArrayList<>(List.of(newestFirst && afterSeq == 0 ? Long.MAX_VALUE : afterSeq));
        if (filter.state() != null) {
            where.append(" AND state = ?");
            parameters.add(filter.state());
        }
        if (filter.owner() != null) {
            where.append(" AND owner = ?");
            parameters.add(filter.owner());
        }
        if (filter.target() != null) {
            where.append(" AND target = ?");
            parameters.add(filter.target());
        }
        if (filter.submittedSince() != null) {
            where.append(" AND submitted_at >= ?");
            parameters.add(SqlTimes.timestamp(filter.submittedSince()));
        }
        parameters.add(limit);
        String page = "SELECT v.*, (SELECT count(*) FROM job_step s WHERE s.job_id = v.job_id) AS step_count "
                + "FROM job_view v WHERE " + where + " ORDER BY seq" + (newestFirst ? " DESC" : "") + " LIMIT ?";
        List<SequencedSummary> read = RoundTrip.runThenQuery(connection, List.of(PLANNED_FOR_THE_VALUES),
                new RoundTrip.Statement(page, parameters.toArray()), JobViewReader::readSummaries);
        List<JobSummary> jobs = read.stream().map(SequencedSummary::summary).toList();
        return new Page(jobs, jobs.size() == limit ? read.get(read.size() - 1).seq() : null);
    }

    /** What {@link #page} selects by; a null part selects any. */
    public record JobFilter(String state, String owner, String target, Instant submittedSince) {
    }

    /** A job summary read with its place in submission order. */
    private record SequencedSummary(JobSummary summary, long seq) {
    }

    private static List<SequencedSummary> readSummaries(ResultSet row) throws SQLException {
        List<SequencedSummary> jobs = new ArrayList<>();
        while (row.next()) {
            jobs.add(new SequencedSummary(new JobSummary(row.getString("job_id"), row.getString("owner"),
                    row.getString("name"), row.getString("target"), row.getString("state"), row.getInt("attempt"),
                    row.getInt("step_count"), integer(row, "current_step_index"), row.getString("current_step"),
                    row.getString("worker_id"), row.getString("node_id"), row.getString("outcome"),
                    row.getString("reason"), milestones(row)), row.getLong("seq")));
        }
        return jobs;
    }

    private static JobView.Milestones milestones(ResultSet row) throws SQLException {
        return new JobView.Milestones(SqlTimes.instant(row, "submitted_at"), SqlTimes.instant(row, "queued_at"),
                SqlTimes.instant(row, "worker_assigned_at"), SqlTimes.instant(row, "started_at"),
                SqlTimes.instant(row, "stop_requested_at"), SqlTimes.instant(row, "finished_at"),
                SqlTimes.instant(row, "cleaned_up_at"));
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
                    milestones(row), List.of(), resources(row), row.getLong("version"));
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
