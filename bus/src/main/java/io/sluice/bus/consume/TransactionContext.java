package io.sluice.bus.consume;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.EventStamps;
import io.sluice.events.EventMetadata;
import io.sluice.schemas.Topic;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.avro.specific.SpecificRecordBase;

/** The handler's view of the transaction a consumed event is applied in. */
final class TransactionContext implements HandlerContext {

    private final BusRuntime bus;
    private final Connection connection;
    private final EventMetadata cause;
    private boolean emitted;

    TransactionContext(BusRuntime bus, Connection connection, EventMetadata cause) {
        this.bus = bus;
        this.connection = connection;
        this.cause = cause;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public EventMetadata causedMetadata(String correlationId) {
        return EventStamps.stamp(bus, correlationId, cause.getEventId().toString());
    }

    @Override
    public void emit(Topic topic, String key, SpecificRecordBase envelope) throws SQLException {
        bus.outbox().append(connection, topic, key, envelope);
        emitted = true;
    }

    boolean emitted() {
        return emitted;
    }
}
