package io.sluice.factory.store;

import io.sluice.bus.db.SqlTimes;
import io.sluice.factory.domain.DemandState;
import io.sluice.factory.domain.QueuedDemand;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Worker demands, one per job and attempt; the queued ones wait in FIFO order of their sequence number. */
@Singleton
public final class DemandStore {

    /** Queues a demand; false when this job and attempt demanded a worker before (a duplicate does nothing). */
    public boolean enqueue(Connection connection, String jobId, int attempt, String requestedTarget,
                           String target, byte[] envelope, Instant at) throws SQLException {
        return insert(connection, jobId, attempt, requestedTarget, target, DemandState.QUEUED, envelope, at);
    }

    /** Records a demand decided at once (rejected, or withdrawn before it was seen); false when it existed. */
    public boolean insertDecided(Connection connection, String jobId, int attempt, String requestedTarget,
                                 String target, DemandState state, Instant at) throws SQLException {
        return insert(connection, jobId, attempt, requestedTarget, target, state, null, at);
    }

    private static boolean insert(Connection connection, String jobId, int attempt, String requestedTarget,
                                  String target, DemandState state, byte[] envelope, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO demand (job_id, attempt, "
                + "requested_target, target, state, envelope, demanded_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (job_id, attempt) DO NOTHING")) {
            insert.setString(1, jobId);
            insert.setInt(2, attempt);
            insert.setString(3, requestedTarget);
            insert.setString(4, target);
            insert.setString(5, state.name());
            insert.setBytes(6, envelope);
            insert.setTimestamp(7, SqlTimes.timestamp(at));
            insert.setTimestamp(8, state == DemandState.QUEUED ? null : SqlTimes.timestamp(at));
            return insert.executeUpdate() == 1;
        }
    }

    public Optional<DemandState> stateOf(Connection connection, String jobId, int attempt) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state FROM demand WHERE job_id = ? AND attempt = ?")) {
            select.setString(1, jobId);
            select.setInt(2, attempt);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(DemandState.valueOf(row.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * Up to {@code limit} queued demands of {@code targets} after {@code afterSeq}, oldest first. Each target's queue is
     * read in index order and no further than the limit: {@code target = ANY (?) ORDER BY seq} would read and sort
     * every queued demand of the targets, which under a backlog of thousands cost milliseconds per placement, with
     * the placement lock held.
     */
    public List<QueuedDemand> queued(Connection connection, Collection<String> targets, long afterSeq,
                                     int limit) throws SQLException {
        List<QueuedDemand> demands = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT d.job_id, d.attempt, d.target, d.seq "
                + "FROM unnest(?::text[]) AS t(target) CROSS JOIN LATERAL (SELECT job_id, attempt, target, seq "
                + "FROM demand WHERE state = 'QUEUED' AND target = t.target AND seq > ? ORDER BY seq LIMIT ?) d "
                + "ORDER BY d.seq LIMIT ?")) {
            select.setArray(1, connection.createArrayOf("text", targets.toArray()));
            select.setLong(2, afterSeq);
            select.setInt(3, limit);
            select.setInt(4, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    demands.add(new QueuedDemand(row.getString("job_id"), row.getInt("attempt"),
                            row.getString("target"), row.getLong("seq")));
                }
            }
        }
        return demands;
    }

    /** The demand's WorkerDemanded envelope, as it was consumed. */
    public byte[] envelopeOf(Connection connection, String jobId, int attempt) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT envelope FROM demand WHERE job_id = ? AND attempt = ?")) {
            select.setString(1, jobId);
            select.setInt(2, attempt);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getBytes(1) == null) {
                    throw new IllegalStateException("demand of job " + jobId + " attempt " + attempt
                            + " has no stored envelope");
                }
                return row.getBytes(1);
            }
        }
    }

    /** Decides a queued demand (placed or withdrawn) and drops the envelope it no longer needs. */
    public void decide(Connection connection, String jobId, int attempt, DemandState state, Instant at)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE demand SET state = ?, envelope = NULL, "
                + "decided_at = ? WHERE job_id = ? AND attempt = ?")) {
            update.setString(1, state.name());
            update.setTimestamp(2, SqlTimes.timestamp(at));
            update.setString(3, jobId);
            update.setInt(4, attempt);
            update.executeUpdate();
        }
    }

    /** How many demands wait, per target. */
    public Map<String, Long> queuedPerTarget(Connection connection) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT target, count(*) FROM demand WHERE state = 'QUEUED' GROUP BY target");
             ResultSet row = select.executeQuery()) {
            while (row.next()) {
                counts.put(row.getString(1), row.getLong(2));
            }
        }
        return counts;
    }
}
