package io.sluice.bus.outbox;

import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/** Writes events into the outbox table inside the caller's transaction; the relay publishes them after commit. */
public final class Outbox {

    /** Rows per INSERT statement: a transaction's events go to the server in one round trip, up to this many. */
    private static final int ROWS_PER_INSERT = 100;

    /** One event encoded for the outbox. */
    public record Row(String topic, byte[] key, byte[] value, String eventId) {
    }

    /**
     * Sent with the rows while this instance's relay leads, in the same round trip: the outbox trigger then skips the
     * notification (migration V3), which would only wake that relay, already woken in-process after the commit.
     */
    private static final String RELAY_IS_LOCAL = "SELECT set_config('sluice.outbox_relay', 'local', true); ";

    private final TopicNaming naming;
    private final OutboxSignal signal;
    private final OutboxSessions sessions = new OutboxSessions();

    /** @param signal what the writers' callers raise after the commit, and says whether this instance's relay leads */
    public Outbox(TopicNaming naming, OutboxSignal signal) {
        this.naming = naming;
        this.signal = signal;
    }

    /** The sessions this outbox wrote through, for the listener that must not wake the relay for them. */
    public OutboxSessions sessions() {
        return sessions;
    }

    /** Encodes one envelope for {@code topic} with {@code key}, to be written by {@link #write}. */
    public Row row(Topic topic, String key, SpecificRecordBase envelope) {
        return row(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), envelope);
    }

    /** Encodes with a key given as bytes (a dead letter keeps the original record's key as it was). */
    public Row row(Topic topic, byte[] key, SpecificRecordBase envelope) {
        return new Row(naming.nameOf(topic), key, EventCodec.forTopic(topic).encode(envelope),
                Envelopes.metadataOf(envelope).getEventId().toString());
    }

    /** Appends one envelope; it becomes visible to the relay when the caller commits. */
    public void append(Connection connection, Topic topic, byte[] key, SpecificRecordBase envelope)
            throws SQLException {
        write(connection, List.of(row(topic, key, envelope)));
    }

    /** Appends {@code rows} in their order, in as few statements as it can; visible to the relay at commit. */
    public void write(Connection connection, List<Row> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            insert(connection, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT)));
        }
    }

    private void insert(Connection connection, List<Row> rows) throws SQLException {
        boolean relayIsLocal = signal.relayLeads();
        StringBuilder sql = new StringBuilder(relayIsLocal ? RELAY_IS_LOCAL : "")
                .append("INSERT INTO bus_outbox (topic, record_key, record_value, event_id) VALUES ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
        }
        sql.append(" RETURNING pg_backend_pid()");
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int parameter = 1;
            for (Row row : rows) {
                insert.setString(parameter++, row.topic());
                insert.setBytes(parameter++, row.key());
                insert.setBytes(parameter++, row.value());
                insert.setString(parameter++, row.eventId());
            }
            insert.execute();
            if (relayIsLocal && !insert.getMoreResults()) {
                throw new SQLException("the outbox insert after set_config returned no rows");
            }
            try (ResultSet inserted = insert.getResultSet()) {
                if (inserted.next()) {
                    sessions.wrote(inserted.getInt(1));
                }
            }
        }
    }
}
