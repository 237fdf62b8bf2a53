package io.sluice.factory.store;

import io.sluice.bus.db.SqlTimes;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.domain.WorkerState;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The workers the factory placed, with the milestones of their lives. */
@Singleton
public final class WorkerStore {

    private static final String COLUMNS = "worker_id, job_id, attempt, target, node_id, state, release_owed";

    public void insert(Connection connection, Worker worker, Instant placedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO worker (" + COLUMNS
                + ", placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, worker.workerId());
            insert.setString(2, worker.jobId());
            insert.setInt(3, worker.attempt());
            insert.setString(4, worker.target());
            insert.setString(5, worker.nodeId());
            insert.setString(6, worker.state().name());
            insert.setBoolean(7, worker.releaseOwed());
            insert.setTimestamp(8, SqlTimes.timestamp(placedAt));
            insert.executeUpdate();
        }
    }

    public Optional<Worker> find(Connection connection, String workerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM worker WHERE worker_id = ?")) {
            select.setString(1, workerId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    /** Takes the {@link PlacementLock} and reads the worker, in one round trip. */
    public Optional<Worker> findUnderPlacementLock(Connection connection, String workerId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                PlacementLock.ACQUIRE + "; SELECT " + COLUMNS + " FROM worker WHERE worker_id = ?")) {
            select.setString(1, workerId);
            select.execute(); // the lock's row comes first
            if (!select.getMoreResults()) {
                throw new SQLException("the worker query after the placement lock returned no rows");
            }
            try (ResultSet row = select.getResultSet()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    /**
     * Stores the worker's new state and stamps the milestone it reached at {@code at}; {@code reason} and
     * {@code nodeDestroyedAt} (the node's clock) are kept when given.
     */
    public void update(Connection connection, Worker worker, Instant at, String reason,
                       Instant nodeDestroyedAt) throws SQLException {
        String milestone = switch (worker.state()) {
            case PREPARING -> "placed_at = placed_at";
            case ASSIGNED -> "assigned_at = ?";
            case DESTROYING -> "destroy_asked_at = coalesce(destroy_asked_at, ?)";
            case DESTROYED, LOST -> "ended_at = ?";
        };
        try (PreparedStatement update = connection.prepareStatement("UPDATE worker SET state = ?, release_owed = ?, "
                + "reason = coalesce(?, reason), node_destroyed_at = coalesce(?, node_destroyed_at), " + milestone
                + " WHERE worker_id = ?")) {
            int i = 0;
            update.setString(++i, worker.state().name());
            update.setBoolean(++i, worker.releaseOwed());
            update.setString(++i, reason);
            update.setTimestamp(++i, SqlTimes.timestamp(nodeDestroyedAt));
            if (worker.state() != WorkerState.PREPARING) {
                update.setTimestamp(++i, SqlTimes.timestamp(at));
            }
            update.setString(++i, worker.workerId());
            update.executeUpdate();
        }
    }

    /** The workers that hold a slot of {@code nodeId}. */
    public List<Worker> holdingSlotOn(Connection connection, String nodeId) throws SQLException {
        List<Worker> workers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM worker "
                + "WHERE node_id = ? AND state IN ('PREPARING', 'ASSIGNED', 'DESTROYING') ORDER BY worker_id")) {
            select.setString(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    workers.add(read(row));
                }
            }
        }
        return workers;
    }

    /** Notes when (node clock) the node reported the worker prepared. */
    public void notePreparedOnNode(Connection connection, String workerId, Instant nodePreparedAt)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE worker SET node_prepared_at = ? WHERE worker_id = ?")) {
            update.setTimestamp(1, SqlTimes.timestamp(nodePreparedAt));
            update.setString(2, workerId);
            update.executeUpdate();
        }
    }

    /**
     * The workers assigned on {@code nodeId} that the node reported prepared before {@code preparedBefore} (node
     * clock) and that {@code reported}, the workers its heartbeat lists, leaves out.
     */
    public List<Worker> assignedButUnlisted(Connection connection, String nodeId, Collection<String> reported,
                                            Instant preparedBefore) throws SQLException {
        List<Worker> workers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM worker "
                + "WHERE node_id = ? AND state = 'ASSIGNED' AND node_prepared_at < ? "
                + "AND NOT (worker_id = ANY (?)) ORDER BY worker_id")) {
            select.setString(1, nodeId);
            select.setTimestamp(2, SqlTimes.timestamp(preparedBefore));
            select.setArray(3, connection.createArrayOf("text", reported.toArray()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    workers.add(read(row));
                }
            }
        }
        return workers;
    }

    /** Those of {@code workerIds} that {@code nodeId} reported destroyed at or after {@code sentAt} (node clock). */
    public Set<String> destroyedOnNodeSince(Connection connection, String nodeId, Collection<String> workerIds,
                                            Instant sentAt) throws SQLException {
        Set<String> destroyed = new HashSet<>();
        if (workerIds.isEmpty()) {
            return destroyed;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT worker_id FROM worker WHERE "
                + "node_id = ? AND worker_id = ANY (?) AND node_destroyed_at >= ?")) {
            select.setString(1, nodeId);
            select.setArray(2, connection.createArrayOf("text", workerIds.toArray()));
            select.setTimestamp(3, SqlTimes.timestamp(sentAt));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    destroyed.add(row.getString(1));
                }
            }
        }
        return destroyed;
    }

    /** The most recently placed workers with their milestones, for the read API. */
    public List<WorkerRecord> latest(Connection connection, int limit) throws SQLException {
        List<WorkerRecord> workers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", placed_at, assigned_at, "
                + "destroy_asked_at, ended_at, reason FROM worker ORDER BY placed_at DESC, worker_id LIMIT ?")) {
            select.setInt(1, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    workers.add(new WorkerRecord(read(row), SqlTimes.instant(row, "placed_at"),
                            SqlTimes.instant(row, "assigned_at"), SqlTimes.instant(row, "destroy_asked_at"),
                            SqlTimes.instant(row, "ended_at"), row.getString("reason")));
                }
            }
        }
        return workers;
    }

    /** A worker with the milestones of its life. */
    public record WorkerRecord(Worker worker, Instant placedAt, Instant assignedAt, Instant destroyAskedAt,
                               Instant endedAt, String reason) {
    }

    private static Worker read(ResultSet row) throws SQLException {
        return new Worker(row.getString("worker_id"), row.getString("job_id"), row.getInt("attempt"),
                row.getString("target"), row.getString("node_id"), WorkerState.valueOf(row.getString("state")),
                row.getBoolean("release_owed"));
    }
}
