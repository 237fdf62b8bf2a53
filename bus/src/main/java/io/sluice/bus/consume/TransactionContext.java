package io.sluice.bus.consume;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.EventStamps;
import io.sluice.bus.outbox.Outbox;
import io.sluice.events.EventMetadata;
import io.sluice.schemas.Topic;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The view a handler or a periodic task has of the transaction it works in; the cause is null for a timer. Emitted
 * events are encoded at once and written to the outbox together by {@link #flush}, before the transaction commits;
 * the contexts of several events applied in one transaction share their pending rows, so one statement writes all.
 */
public final class TransactionContext implements HandlerContext {

    private final BusRuntime bus;
    private final Connection connection;
    private final String causationId;
    private final List<Outbox.Row> pending;
    private final List<Runnable> committed;
    private boolean emitted;

    public TransactionContext(BusRuntime bus, Connection connection, String causationId) {
        this(bus, connection, causationId, new ArrayList<>(), new ArrayList<>());
    }

    /**
     * A context whose emitted events join {@code pending}, the rows of the transaction's other contexts, and whose
     * after-commit actions join {@code committed}, which the caller runs once the transaction committed.
     */
    public TransactionContext(BusRuntime bus, Connection connection, String causationId, List<Outbox.Row> pending,
                              List<Runnable> committed) {
        this.bus = bus;
        this.connection = connection;
        this.causationId = causationId;
        this.pending = pending;
        this.committed = committed;
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
    public void emit(Topic topic, String key, SpecificRecordBase envelope) {
        pending.add(bus.outbox().row(topic, key, envelope));
        emitted = true;
    }

    @Override
    public void afterCommit(Runnable action) {
        committed.add(action);
    }

    /** Runs the after-commit actions of the transaction's contexts; the caller calls it once the commit succeeded. */
    public void runCommitted() {
        committed.forEach(Runnable::run);
        committed.clear();
    }

    /**
     * Writes the events emitted so far (by every context sharing the pending rows) to the outbox, in one statement;
     * the caller commits afterwards.
     */
    public void flush() throws SQLException {
        if (!pending.isEmpty()) {
            bus.outbox().write(connection, pending);
            pending.clear();
        }
    }

    /** Whether this context emitted anything (the shared rows may hold other contexts' events too). */
    public boolean emitted() {
        return emitted;
    }
}
