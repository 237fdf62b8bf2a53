package io.sluice.factory.store;

import io.sluice.bus.db.SqlTimes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** Workers nodes host that the factory does not know as live there, told once to be destroyed. */
@Singleton
public final class StrayWorkerStore {

    public Set<String> on(Connection connection, String nodeId) throws SQLException {
        Set<String> workers = new TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT worker_id FROM stray_worker WHERE node_id = ?")) {
            select.setString(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    workers.add(row.getString(1));
                }
            }
        }
        return workers;
    }

    /** Remembers that {@code nodeId} was told to destroy {@code workerId}; false when it was told before. */
    public boolean add(Connection connection, String nodeId, String workerId, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO stray_worker (node_id, worker_id, "
                + "destroy_sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, nodeId);
            insert.setString(2, workerId);
            insert.setTimestamp(3, SqlTimes.timestamp(at));
            return insert.executeUpdate() == 1;
        }
    }

    /** Forgets a stray that is gone; true when it was one (its slot is free again). */
    public boolean remove(Connection connection, String nodeId, String workerId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM stray_worker WHERE node_id = ? AND worker_id = ?")) {
            delete.setString(1, nodeId);
            delete.setString(2, workerId);
            return delete.executeUpdate() == 1;
        }
    }

    /** Forgets every stray of a lost node; if it comes back, its heartbeat names what is left. */
    public void removeAll(Connection connection, String nodeId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM stray_worker WHERE node_id = ?")) {
            delete.setString(1, nodeId);
            delete.executeUpdate();
        }
    }
}
