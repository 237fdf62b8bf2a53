package io.sluice.bus.testapp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The counting application's tables: how many times each job's event took effect. */
public final class Counters {

    static final String APPLIED_REQUEST = "applied_request";
    static final String ACCEPTED_SEEN = "accepted_seen";

    private Counters() {
    }

    static void increment(Connection connection, String table, String jobId) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " (job_id, times) "
                + "VALUES (?, 1) ON CONFLICT (job_id) DO UPDATE SET times = " + table + ".times + 1")) {
            upsert.setString(1, jobId);
            upsert.executeUpdate();
        }
    }

    /** Job id → times applied, read from {@code table}. */
    public static Map<String, Integer> read(DataSource dataSource, String table) throws SQLException {
        Map<String, Integer> times = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT job_id, times FROM " + table);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                times.put(rows.getString(1), rows.getInt(2));
            }
        }
        return times;
    }

    public static Map<String, Integer> appliedRequests(DataSource dataSource) throws SQLException {
        return read(dataSource, APPLIED_REQUEST);
    }

    public static Map<String, Integer> acceptedSeen(DataSource dataSource) throws SQLException {
        return read(dataSource, ACCEPTED_SEEN);
    }

    /** The first column of every row {@code sql} returns. */
    public static List<String> strings(DataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    public static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
