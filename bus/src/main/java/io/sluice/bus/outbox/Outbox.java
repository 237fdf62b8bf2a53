package io.sluice.bus.outbox;

import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.avro.specific.SpecificRecordBase;

/** Writes events into the outbox table inside the caller's transaction; the relay publishes them after commit. */
public final class Outbox {

    private static final String INSERT =
            "INSERT INTO bus_outbox (topic, record_key, record_value, event_id) VALUES (?, ?, ?, ?)";

    private final TopicNaming naming;

    public Outbox(TopicNaming naming) {
        this.naming = naming;
    }

    /** Appends one envelope for {@code topic} with {@code key}; it becomes visible to the relay when the caller commits. */
    public void append(Connection connection, Topic topic, String key, SpecificRecordBase envelope) throws SQLException {
        append(connection, topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), envelope);
    }

    /** Appends with a key given as bytes (a dead letter keeps the original record's key as it was). */
    public void append(Connection connection, Topic topic, byte[] key, SpecificRecordBase envelope) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, naming.nameOf(topic));
            insert.setBytes(2, key);
            insert.setBytes(3, EventCodec.forTopic(topic).encode(envelope));
            insert.setString(4, Envelopes.metadataOf(envelope).getEventId().toString());
            insert.executeUpdate();
        }
    }
}
