package io.sluice.jobs.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads jobs from the projection tables. */
public final class JobViewReader {

    /** A page of jobs in submission order, after the job with sequence {@code afterSeq}; the last seq for paging. */
    public record Page(List<JobView> jobs, Long lastSeq) {
    }

    public Optional<JobView> find(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM job_view WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(viewOf(connection, row)) : Optional.empty();
            }
        }
    }

    public Page page(Connection connection, String state, String owner, long afterSeq, int limit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM job_view WHERE seq > ? "
                + "AND (?::text IS NULL OR state = ?) AND (?::text IS NULL OR owner = ?) ORDER BY seq LIMIT ?")) {
            select.setLong(1, afterSeq);
            select.setString(2, state);
            select.setString(3, state);
            select.setString(4, owner);
            select.setString(5, owner);
            select.setInt(6, limit);
            List<JobView> jobs = new ArrayList<>();
            Long lastSeq = null;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobs.add(viewOf(connection, rows));
                    lastSeq = rows.getLong("seq");
                }
            }
            return new Page(jobs, jobs.size() == limit ? lastSeq : null);
        }
    }

    private static JobView viewOf(Connection connection, ResultSet row) throws SQLException {
        String jobId = row.getString("job_id");
        return new JobView(jobId, row.getString("owner"), row.getString("name"), row.getString("target"),
                row.getString("state"), row.getInt("attempt"), integer(row, "current_step_index"),
                row.getString("current_step"), row.getString("worker_id"), row.getString("node_id"),
                row.getString("outcome"), row.getString("reason"),
                new JobView.Milestones(instant(row, "submitted_at"), instant(row, "queued_at"),
                        instant(row, "worker_assigned_at"), instant(row, "started_at"),
                        instant(row, "stop_requested_at"), instant(row, "finished_at"), instant(row, "cleaned_up_at")),
                steps(connection, jobId), resources(connection, jobId), row.getLong("version"));
    }

    private static List<JobView.StepView> steps(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT * FROM job_step WHERE job_id = ? ORDER BY step_index")) {
            select.setString(1, jobId);
            List<JobView.StepView> steps = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    steps.add(new JobView.StepView(row.getInt("step_index"), row.getString("name"),
                            row.getString("state"), row.getInt("attempt"), integer(row, "pid"),
                            instant(row, "started_at"), nullableLong(row, "duration_ms"), integer(row, "exit_code"), row.getString("signal"),
                            row.getBoolean("oom_killed"), row.getString("reason")));
                }
            }
            return steps;
        }
    }

    private static List<JobView.ResourceView> resources(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT type, resource_id FROM job_resource_view WHERE job_id = ? ORDER BY type")) {
            select.setString(1, jobId);
            List<JobView.ResourceView> resources = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    resources.add(new JobView.ResourceView(row.getString(1), row.getString(2)));
                }
            }
            return resources;
        }
    }

    /** The job's history in order, with each event's fields as stored JSON text. */
    public List<StoredHistory> history(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT position, event_id, event_type, "
                + "occurred_at, state, detail::text FROM job_history WHERE job_id = ? ORDER BY position")) {
            select.setString(1, jobId);
            List<StoredHistory> history = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    history.add(new StoredHistory(row.getInt(1), row.getString(2), row.getString(3),
                            row.getTimestamp(4).toInstant(), row.getString(5), row.getString(6)));
                }
            }
            return history;
        }
    }

    /** A history row as stored: the event's fields as JSON text. */
    public record StoredHistory(int position, String eventId, String type, Instant occurredAt, String state,
                                String detailJson) {
    }

    private static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
