package io.sluice.bus.consume;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.EventStamps;
import io.sluice.events.EventMetadata;
import io.sluice.schemas.Topic;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.avro.specific.SpecificRecordBase;

/** The view a handler or a periodic task has of the transaction it works in; the cause is null for a timer. */
public final class TransactionContext implements HandlerContext {

    private final BusRuntime bus;
    private final Connection connection;
    private final String causationId;
    private boolean emitted;

    public TransactionContext(BusRuntime bus, Connection connection, String causationId) {
        this.bus = bus;
        this.connection = connection;
        this.causationId = causationId;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public EventMetadata causedMetadata(String correlationId) {
        return EventStamps.stamp(bus, correlationId, causationId);
    }

    @Override
    public void emit(Topic topic, String key, SpecificRecordBase envelope) throws SQLException {
        bus.outbox().append(connection, topic, key, envelope);
        emitted = true;
    }

    public boolean emitted() {
        return emitted;
    }
}
