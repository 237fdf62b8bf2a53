package io.sluice.bus.outbox;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the relay as soon as a transaction that wrote to the outbox has committed, so events leave at once; and tells
 * the outbox whether this instance's relay leads, so that such a transaction need not notify other instances.
 */
public final class OutboxSignal {

    private final Semaphore pending = new Semaphore(0);
    private volatile boolean relayLeads;

    public void rowsCommitted() {
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Whether this instance's relay holds the relay lock, as far as it knows. */
    public boolean relayLeads() {
        return relayLeads;
    }

    void relayLeads(boolean leads) {
        relayLeads = leads;
    }

    /** Waits until rows were committed or {@code timeout} passed; the relay polls on timeout anyway. */
    void await(Duration timeout) throws InterruptedException {
        if (pending.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            pending.drainPermits();
        }
    }
}
