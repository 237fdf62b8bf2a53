package io.sluice.bus.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Instants to and from JDBC timestamps, nulls kept: the one conversion every store needs. */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        return instant(row.getTimestamp(column));
    }
}
