package io.sluice.jobs.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** Runs one parameterised statement; instants become timestamps and nulls keep their place. */
final class Sql {

    private Sql() {
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                switch (parameter) {
                    case null -> statement.setNull(i + 1, Types.NULL);
                    case Instant instant -> statement.setTimestamp(i + 1, Timestamp.from(instant));
                    case Enum<?> symbol -> statement.setString(i + 1, symbol.name());
                    case CharSequence text -> statement.setString(i + 1, text.toString());
                    default -> statement.setObject(i + 1, parameter);
                }
            }
            return statement.executeUpdate();
        }
    }
}
