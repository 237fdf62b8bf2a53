package io.sluice.bus.task;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.bus.consume.TransactionContext;
import java.time.Instant;

/** What a periodic task may use: the clock, and transactions that hold a state change with the events it emits. */
public final class TaskContext {

    /** Work done in one transaction, emitting through the handler context (events caused by no event). */
    @FunctionalInterface
    public interface EmittingWork<T> {
        T run(HandlerContext context) throws Exception;
    }

    private final BusRuntime bus;

    public TaskContext(BusRuntime bus) {
        this.bus = bus;
    }

    public Instant now() {
        return bus.clock().instant();
    }

    /** Runs {@code work} in one transaction and wakes the outbox relay if it emitted anything. */
    public <T> T inTransaction(EmittingWork<T> work) throws Exception {
        TransactionContext[] context = new TransactionContext[1];
        T result = bus.transactions().inTransaction(connection -> {
            context[0] = new TransactionContext(bus, connection, null);
            T done = work.run(context[0]);
            context[0].flush();
            return done;
        });
        if (context[0].emitted()) {
            bus.outboxSignal().rowsCommitted();
        }
        context[0].runCommitted();
        return result;
    }
}
