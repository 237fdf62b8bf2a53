package io.sluice.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.sluice.infra.PostgresDatabases;

/** A PostgreSQL server reached through one database on it, where new databases can be created. */
record PostgresServer(String adminJdbcUrl, String username, String password) {

    private static final String PREFIX = "jdbc:postgresql://";

    PostgresServer {
        if (!adminJdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + adminJdbcUrl);
        }
    }

    /** The admin URL with its database replaced, keeping the hosts and the parameters. */
    String jdbcUrl(String database) {
        int hostsEnd = indexOfEither(adminJdbcUrl, '/', '?', PREFIX.length());
        int queryStart = adminJdbcUrl.indexOf('?', hostsEnd);
        String query = queryStart < 0 ? "" : adminJdbcUrl.substring(queryStart);
        return adminJdbcUrl.substring(0, hostsEnd) + "/" + database + query;
    }

    void createDatabase(String database) {
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, username, password)) {
            PostgresDatabases.createIfMissing(connection, database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + " through " + adminJdbcUrl, e);
        }
    }

    private static int indexOfEither(String text, char first, char second, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == first || text.charAt(i) == second) {
                return i;
            }
        }
        return text.length();
    }
}
