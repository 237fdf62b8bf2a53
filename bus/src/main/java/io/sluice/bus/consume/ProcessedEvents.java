package io.sluice.bus.consume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The idempotent-consumer record: inserting first, inside the handler's transaction, makes a concurrent or
 * repeated delivery of the same event wait for the first and then find it handled (no find-then-insert race).
 */
final class ProcessedEvents {

    private static final String INSERT = "INSERT INTO bus_processed_event (consumer, event_key) VALUES (?, ?) "
            + "ON CONFLICT DO NOTHING";

    private ProcessedEvents() {
    }

    /** Records the event as handled by {@code consumer}; false when it already was. */
    static boolean markFirstDelivery(Connection connection, String consumer, String eventKey) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, consumer);
            insert.setString(2, eventKey);
            return insert.executeUpdate() == 1;
        }
    }
}
