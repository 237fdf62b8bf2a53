package io.sluice.jobs.store.projection;

import io.sluice.bus.db.SqlTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs parameterised statements, several in one round trip when asked (the driver sends them together and the
 * server runs them in order); instants become timestamps and nulls keep their place.
 */
public final class RoundTrip {

    /** One statement with its parameters. */
    public record Statement(String sql, Object... parameters) {
    }

    /** Reads a query's rows. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private RoundTrip() {
    }

    /** Runs {@code statements} in order, in one round trip. */
    public static void run(Connection connection, List<Statement> statements) throws SQLException {
        try (PreparedStatement all = prepare(connection, statements)) {
            all.execute();
        }
    }

    /** Runs {@code statements} and then {@code query}, in one round trip, and reads the query's rows. */
    public static <T> T runThenQuery(Connection connection, List<Statement> statements, Statement query, Rows<T> rows)
            throws SQLException {
        List<Statement> all = new ArrayList<>(statements);
        all.add(query);
        try (PreparedStatement statement = prepare(connection, all)) {
            statement.execute();
            // Each statement leaves one result, in order (an update count, or rows for a query): the query's is last.
            for (int i = 0; i < statements.size(); i++) {
                statement.getMoreResults();
            }
            try (ResultSet result = statement.getResultSet()) {
                if (result == null) {
                    throw new SQLException("no rows came back for " + query.sql());
                }
                return rows.read(result);
            }
        }
    }

    private static PreparedStatement prepare(Connection connection, List<Statement> statements)
            throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (Statement statement : statements) {
            sql.append(sql.isEmpty() ? "" : "; ").append(statement.sql());
        }
        PreparedStatement prepared = connection.prepareStatement(sql.toString());
        try {
            int index = 1;
            for (Statement statement : statements) {
                for (Object parameter : statement.parameters()) {
                    bind(prepared, index++, parameter);
                }
            }
            return prepared;
        } catch (SQLException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, int index, Object parameter) throws SQLException {
        switch (parameter) {
            case null -> statement.setNull(index, Types.NULL);
            case Instant instant -> statement.setTimestamp(index, SqlTimes.timestamp(instant));
            case Enum<?> symbol -> statement.setString(index, symbol.name());
            case CharSequence text -> statement.setString(index, text.toString());
            default -> statement.setObject(index, parameter);
        }
    }
}
