package io.sluice.cli.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares job-service's projection tables in two schemas of one database, row by row on each table's primary key
 * and column by column, leaving out {@code seq} (it numbers rows in the order they were written).
 */
final class ProjectionDifferences {

    /** The tables of the projection (JobProjector writes these and nothing else). */
    static final List<String> TABLES = List.of("job_view", "job_step", "job_history", "job_resource_view");
    private static final String ORDER_COLUMN = "seq";

    /** One difference: the job, the table, the row's key, the column (null for a missing row), both values. */
    record Difference(String jobId, String table, String key, String column, String live, String rebuilt) {

        String line() {
            if (column == null) {
                return "job " + jobId + "  " + table + " " + key + ": " + (live == null
                        ? "only in the rebuilt projection" : "only in the live projection");
            }
            return "job " + jobId + "  " + table + "." + column + (table.equals("job_view") ? "" : " " + key)
                    + ": live " + live + ", rebuilt " + rebuilt;
        }
    }

    private ProjectionDifferences() {
    }

    static List<Difference> between(Connection connection, String live, String rebuilt) throws SQLException {
        List<Difference> differences = new ArrayList<>();
        for (String table : TABLES) {
            List<String> key = primaryKey(connection, live, table);
            Map<List<String>, Map<String, String>> liveRows = rows(connection, live, table, key);
            Map<List<String>, Map<String, String>> rebuiltRows = rows(connection, rebuilt, table, key);
            TreeSet<List<String>> keys = new TreeSet<>(java.util.Comparator.comparing(Object::toString));
            keys.addAll(liveRows.keySet());
            keys.addAll(rebuiltRows.keySet());
            for (List<String> rowKey : keys) {
                Map<String, String> was = liveRows.get(rowKey);
                Map<String, String> is = rebuiltRows.get(rowKey);
                String shownKey = describe(key, rowKey);
                String jobId = rowKey.get(key.indexOf("job_id"));
                if (was == null || is == null) {
                    differences.add(new Difference(jobId, table, shownKey, null, was == null ? null : "row",
                            is == null ? null : "row"));
                    continue;
                }
                for (String column : was.keySet()) {
                    if (!Objects.equals(was.get(column), is.get(column))) {
                        differences.add(new Difference(jobId, table, shownKey, column, was.get(column),
                                is.get(column)));
                    }
                }
            }
        }
        return differences;
    }

    private static String describe(List<String> columns, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).equals("job_id")) {
                parts.add(columns.get(i) + "=" + values.get(i));
            }
        }
        return parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")";
    }

    private static List<String> primaryKey(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT a.attname FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE i.indisprimary AND n.nspname = ? AND c.relname = ? ORDER BY array_position(i.indkey, a.attnum)
                """)) {
            select.setString(1, schema);
            select.setString(2, table);
            List<String> columns = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
            if (!columns.contains("job_id")) {
                throw new SQLException("table " + schema + "." + table + " is missing, or has no primary key on "
                        + "job_id: is '" + schema + "' job-service's schema?");
            }
            return columns;
        }
    }

    /** The table's rows by key, each as column -> text; the schema name was checked to be a plain identifier. */
    private static Map<List<String>, Map<String, String>> rows(Connection connection, String schema, String table,
                                                              List<String> key) throws SQLException {
        Map<List<String>, Map<String, String>> rows = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + schema + "." + table)) {
            ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    if (!columns.getColumnName(i).equals(ORDER_COLUMN)) {
                        row.put(columns.getColumnName(i), result.getString(i));
                    }
                }
                List<String> rowKey = key.stream().map(row::get).toList();
                rows.put(rowKey, row);
            }
        }
        return rows;
    }
}
