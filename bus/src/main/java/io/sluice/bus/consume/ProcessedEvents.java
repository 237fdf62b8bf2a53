package io.sluice.bus.consume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The idempotent-consumer record: inserting first, inside the handler's transaction, makes a concurrent or
 * repeated delivery of the same event wait for the first and then find it handled (no find-then-insert race).
 */
final class ProcessedEvents {

    private static final String INSERT_ALL = "INSERT INTO bus_processed_event (consumer, event_key) "
            + "SELECT ?, unnest(?::text[]) ON CONFLICT DO NOTHING RETURNING event_key";

    private ProcessedEvents() {
    }

    /** Records the events as handled by {@code consumer} in one statement; returns the keys that were not before. */
    static Set<String> markFirstDeliveries(Connection connection, String consumer, List<String> eventKeys)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
            insert.setString(1, consumer);
            insert.setArray(2, connection.createArrayOf("text", eventKeys.toArray()));
            Set<String> first = new HashSet<>();
            try (ResultSet inserted = insert.executeQuery()) {
                while (inserted.next()) {
                    first.add(inserted.getString(1));
                }
            }
            return first;
        }
    }

    /** Records the event as handled by {@code consumer}; false when it already was. */
    static boolean markFirstDelivery(Connection connection, String consumer, String eventKey) throws SQLException {
        return !markFirstDeliveries(connection, consumer, List.of(eventKey)).isEmpty();
    }
}
