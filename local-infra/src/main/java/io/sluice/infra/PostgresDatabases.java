package io.sluice.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates PostgreSQL databases idempotently, on any server a connection leads to. */
public final class PostgresDatabases {

    private static final String DUPLICATE_DATABASE = "42P04";

    private PostgresDatabases() {
    }

    /** Creates the database unless it exists; the connection may be to any database of the server. */
    public static void createIfMissing(Connection connection, String name) throws SQLException {
        if (exists(connection, name)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + quoteIdentifier(name));
        } catch (SQLException e) {
            // Another client created it between our check and our CREATE: the outcome we wanted.
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
