package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.factory.domain.WorkerChange;
import io.sluice.factory.publish.PublishFactoryEvents;
import io.sluice.factory.store.WorkerStore;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Stores a worker's change and emits the events it owes, in the caller's transaction. */
@Singleton
final class ApplyWorkerChange {

    private final WorkerStore workerStore;

    ApplyWorkerChange(WorkerStore workerStore) {
        this.workerStore = workerStore;
    }

    /** Applies {@code change}; true when it gave a slot back to the worker's node. */
    boolean apply(HandlerContext context, WorkerChange change, Instant at, String reason,
                  Instant nodeDestroyedAt) throws Exception {
        if (change.changed()) {
            workerStore.update(context.connection(), change.after(), at, reason, nodeDestroyedAt);
        }
        PublishFactoryEvents.publishAll(context, change.events());
        return change.freedSlot();
    }
}
