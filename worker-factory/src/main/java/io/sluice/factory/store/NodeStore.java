package io.sluice.factory.store;

import io.sluice.bus.db.SqlTimes;
import io.sluice.factory.domain.NodeCapacity;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The node registry table. */
@Singleton
public final class NodeStore {

    private static final String COLUMNS = "node_id, hostname, targets, slots_total, draining, isolation, cgroups, "
            + "warnings, version, started_at, interval_millis, last_sent_at, last_heartbeat_at, first_seen_at, lost_at";

    /** Slots held: the factory's workers that hold one, and the strays being destroyed. */
    static final String SLOTS_USED = "(SELECT count(*) FROM worker w WHERE w.node_id = n.node_id "
            + "AND w.state IN ('PREPARING', 'ASSIGNED', 'DESTROYING')) "
            + "+ (SELECT count(*) FROM stray_worker s WHERE s.node_id = n.node_id)";

    public Optional<RegisteredNode> find(Connection connection, String nodeId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM node WHERE node_id = ?")) {
            select.setString(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    public void save(Connection connection, RegisteredNode node) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO node (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET "
                + "hostname = excluded.hostname, targets = excluded.targets, slots_total = excluded.slots_total, "
                + "draining = excluded.draining, isolation = excluded.isolation, "
                + "cgroups = excluded.cgroups, warnings = excluded.warnings, version = excluded.version, "
                + "started_at = excluded.started_at, interval_millis = excluded.interval_millis, "
                + "last_sent_at = excluded.last_sent_at, last_heartbeat_at = excluded.last_heartbeat_at, "
                + "lost_at = excluded.lost_at")) {
            upsert.setString(1, node.nodeId());
            upsert.setString(2, node.hostname());
            upsert.setArray(3, connection.createArrayOf("text", node.targets().toArray()));
            upsert.setInt(4, node.slotsTotal());
            upsert.setBoolean(5, node.draining());
            upsert.setString(6, node.isolation());
            upsert.setString(7, node.cgroups());
            upsert.setArray(8, connection.createArrayOf("text", node.warnings().toArray()));
            upsert.setString(9, node.version());
            upsert.setTimestamp(10, SqlTimes.timestamp(node.startedAt()));
            upsert.setLong(11, node.intervalMillis());
            upsert.setTimestamp(12, SqlTimes.timestamp(node.lastSentAt()));
            upsert.setTimestamp(13, SqlTimes.timestamp(node.lastHeartbeatAt()));
            upsert.setTimestamp(14, SqlTimes.timestamp(node.firstSeenAt()));
            upsert.setTimestamp(15, SqlTimes.timestamp(node.lostAt()));
            upsert.executeUpdate();
        }
    }

    /** The capacity of every live node, slots used counted from the factory's own state. */
    public List<NodeCapacity> liveCapacities(Connection connection) throws SQLException {
        List<NodeCapacity> nodes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT n.node_id, n.targets, n.slots_total, "
                + "n.draining, " + SLOTS_USED + " AS slots_used FROM node n WHERE n.lost_at IS NULL");
             ResultSet row = select.executeQuery()) {
            while (row.next()) {
                nodes.add(new NodeCapacity(row.getString("node_id"), new HashSet<>(strings(row.getArray("targets"))),
                        row.getInt("slots_total"), row.getInt("slots_used"), row.getBoolean("draining"), true));
            }
        }
        return nodes;
    }

    /** Live nodes last heard of before {@code threshold}. */
    public List<RegisteredNode> silentSince(Connection connection, Instant threshold) throws SQLException {
        return select(connection, "SELECT " + COLUMNS + " FROM node WHERE lost_at IS NULL AND last_heartbeat_at < ? "
                + "ORDER BY node_id", threshold);
    }

    public void markLost(Connection connection, String nodeId, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE node SET lost_at = ? WHERE node_id = ? AND lost_at IS NULL")) {
            update.setTimestamp(1, SqlTimes.timestamp(at));
            update.setString(2, nodeId);
            update.executeUpdate();
        }
    }

    /** Every node of the registry with the slots the factory counts as used, for the read API. */
    public List<NodeUsage> allWithUsage(Connection connection) throws SQLException {
        List<NodeUsage> nodes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + ", " + SLOTS_USED + " AS slots_used FROM node n ORDER BY n.node_id");
             ResultSet row = select.executeQuery()) {
            while (row.next()) {
                nodes.add(new NodeUsage(read(row), row.getInt("slots_used")));
            }
        }
        return nodes;
    }

    /** A registered node and how many of its slots the factory counts as used. */
    public record NodeUsage(RegisteredNode node, int slotsUsed) {
    }

    private static List<RegisteredNode> select(Connection connection, String sql, Instant parameter)
            throws SQLException {
        List<RegisteredNode> nodes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, SqlTimes.timestamp(parameter));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    nodes.add(read(row));
                }
            }
        }
        return nodes;
    }

    private static RegisteredNode read(ResultSet row) throws SQLException {
        return new RegisteredNode(row.getString("node_id"), row.getString("hostname"),
                strings(row.getArray("targets")), row.getInt("slots_total"), row.getBoolean("draining"),
                row.getString("isolation"), row.getString("cgroups"), nullableStrings(row.getArray("warnings")),
                row.getString("version"), SqlTimes.instant(row, "started_at"),
                row.getLong("interval_millis"), SqlTimes.instant(row, "last_sent_at"),
                SqlTimes.instant(row, "last_heartbeat_at"), SqlTimes.instant(row, "first_seen_at"),
                SqlTimes.instant(row, "lost_at"));
    }

    /** A text[] column that is null in rows written before it existed: no values. */
    private static List<String> nullableStrings(Array array) throws SQLException {
        return array == null ? List.of() : strings(array);
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.stream((Object[]) array.getArray()).map(String.class::cast).toList();
    }
}
