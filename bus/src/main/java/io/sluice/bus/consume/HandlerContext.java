package io.sluice.bus.consume;

import io.sluice.events.EventMetadata;
import io.sluice.schemas.Topic;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.avro.specific.SpecificRecordBase;

/** What a handler may touch: the transaction's connection, and the outbox for the events it emits. */
public interface HandlerContext {

    /** The connection of the handler's transaction; the loop commits it. */
    Connection connection();

    /** Metadata for an event caused by the one being handled: new event id, now, same correlation. */
    EventMetadata causedMetadata(String correlationId);

    /** Emits {@code envelope} on {@code topic} with {@code key} when the transaction commits. */
    void emit(Topic topic, String key, SpecificRecordBase envelope) throws SQLException;

    /**
     * Runs {@code action} once the transaction committed, never when it rolls back: where a handler counts what it
     * did in its metrics, so that a retried or re-delivered event is counted once.
     */
    void afterCommit(Runnable action);
}
