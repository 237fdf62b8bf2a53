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

/** What job-service's metrics read from the projection: the live jobs per target and state, and an event's time. */
@Singleton
public final class JobMetricsReader {

    /** The states of a job that has not ended; ended jobs are counted by the finished counter instead. */
    public static final List<String> LIVE_STATES = List.of("SUBMITTED", "QUEUED", "ACQUIRING", "WAITING_FOR_WORKER",
            "PREPARING", "RUNNING");

    /** The states in which a job still waits for a worker to be placed for it. */
    public static final List<String> WAITING_STATES = List.of("QUEUED", "ACQUIRING", "WAITING_FOR_WORKER");

    /**
     * How many jobs of {@code target} are in {@code state}, and since when the oldest of them is queued (null when
     * none has a queue time).
     */
    public record LiveJobs(String target, String state, long count, Instant oldestQueuedAt) {
    }

    /** The live jobs grouped by target and state: one query on the state index, whatever the number of jobs ended. */
    public List<LiveJobs> liveJobs(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT coalesce(target, '') AS target, state, "
                + "count(*) AS jobs, min(queued_at) AS oldest_queued_at FROM job_view WHERE state = ANY (?) GROUP BY 1, 2")) {
            select.setArray(1, connection.createArrayOf("text", LIVE_STATES.toArray()));
            List<LiveJobs> live = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    live.add(new LiveJobs(rows.getString("target"), rows.getString("state"), rows.getLong("jobs"),
                            SqlTimes.instant(rows, "oldest_queued_at")));
                }
            }
            return live;
        }
    }

    /** When the job's latest event of {@code eventType} (say "WorkerRequested") occurred, from its history. */
    public Optional<Instant> lastOccurred(Connection connection, String jobId, String eventType) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT occurred_at FROM job_history "
                + "WHERE job_id = ? AND event_type = ? ORDER BY position DESC LIMIT 1")) {
            select.setString(1, jobId);
            select.setString(2, eventType);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.ofNullable(SqlTimes.instant(rows, "occurred_at")) : Optional.empty();
            }
        }
    }
}
