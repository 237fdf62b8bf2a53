package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.factory.domain.FactoryEvent;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.domain.WorkerIds;
import io.sluice.factory.publish.PublishFactoryEvents;
import io.sluice.factory.store.StrayWorkerStore;
import io.sluice.factory.store.WorkerStore;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a node, once per worker, to destroy a worker it hosts that the factory does not know as live there. */
@Singleton
final class DestroyStrayWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(DestroyStrayWorkers.class);

    private final StrayWorkerStore strayWorkerStore;
    private final WorkerStore workerStore;

    DestroyStrayWorkers(StrayWorkerStore strayWorkerStore, WorkerStore workerStore) {
        this.strayWorkerStore = strayWorkerStore;
        this.workerStore = workerStore;
    }

    void destroyOnce(HandlerContext context, String nodeId, String workerId, Instant now) throws Exception {
        if (!strayWorkerStore.add(context.connection(), nodeId, workerId, now)) {
            return; // told before: the node destroys it, and its heartbeats stop naming it
        }
        Optional<Worker> known = workerStore.find(context.connection(), workerId);
        String jobId = known.map(Worker::jobId).orElse(WorkerIds.jobIdOf(workerId));
        String reason = known.map(worker -> worker.nodeId().equals(nodeId)
                        ? "the factory knows worker " + workerId + " as " + worker.state().name().toLowerCase(Locale.ROOT)
                        : "the factory placed worker " + workerId + " on node " + worker.nodeId())
                .orElse("worker " + workerId + " is unknown to the factory");
        LOG.warn("node {} hosts worker {}, which the factory does not know as live there ({}): destroying it",
                nodeId, workerId, reason);
        PublishFactoryEvents.publish(context, new FactoryEvent.Destroy(nodeId, workerId, jobId, reason));
    }
}
