package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepareFailed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.domain.WorkerLifecycle;
import io.sluice.factory.store.StrayWorkerStore;
import io.sluice.factory.store.WorkerStore;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Follows what node runners report about the workers: prepared, not prepared, destroyed. */
@Singleton
public final class FollowNodeEvents {

    private final PlaceQueuedDemands placer;
    private final ApplyWorkerChange applyChange;
    private final DestroyStrayWorkers destroyStrays;
    private final StrayWorkerStore strayWorkerStore;
    private final WorkerStore workerStore;

    public FollowNodeEvents(PlaceQueuedDemands placer, ApplyWorkerChange applyChange,
                            DestroyStrayWorkers destroyStrays, StrayWorkerStore strayWorkerStore,
                            WorkerStore workerStore) {
        this.placer = placer;
        this.applyChange = applyChange;
        this.destroyStrays = destroyStrays;
        this.strayWorkerStore = strayWorkerStore;
        this.workerStore = workerStore;
    }

    /** The worker is ready: the job gets it; a node that prepared a worker the factory does not want destroys it. */
    public void prepared(HandlerContext context, WorkerPrepared prepared, Instant sentAt, Instant now)
            throws Exception {
        Optional<Worker> worker = lockedPlacedOn(context, prepared.getWorkerId(), prepared.getNodeId());
        if (worker.isPresent() && worker.get().state().holdsSlot()) {
            applyChange.apply(context, WorkerLifecycle.prepared(worker.get()), now, null, null);
            workerStore.notePreparedOnNode(context.connection(), prepared.getWorkerId(), sentAt);
            return;
        }
        if (!workerStore.destroyedOnNodeSince(context.connection(), prepared.getNodeId(),
                List.of(prepared.getWorkerId()), sentAt).isEmpty()) {
            return; // an old report of a worker the node destroyed since
        }
        destroyStrays.destroyOnce(context, prepared.getNodeId(), prepared.getWorkerId(), now);
    }

    /** The worker could not be prepared: the job fails with the node's reason and the node cleans up. */
    public void prepareFailed(HandlerContext context, WorkerPrepareFailed failed, Instant now) throws Exception {
        failPreparation(context, failed.getWorkerId(), failed.getNodeId(), failed.getReason(), now);
    }

    /** A PrepareWorker the node refused (a malformed name, say) fails the preparation as well. */
    public void commandRejected(HandlerContext context, CommandRejected rejected, Instant now) throws Exception {
        if ("PrepareWorker".equals(rejected.getCommand()) && rejected.getWorkerId() != null) {
            failPreparation(context, rejected.getWorkerId(), rejected.getNodeId(), "node " + rejected.getNodeId()
                    + " rejected PrepareWorker: " + rejected.getReason(), now);
        }
    }

    private void failPreparation(HandlerContext context, String workerId, String nodeId, String reason, Instant now)
            throws Exception {
        Optional<Worker> worker = lockedPlacedOn(context, workerId, nodeId);
        if (worker.isPresent()) {
            applyChange.apply(context, WorkerLifecycle.prepareFailed(worker.get(), reason), now, reason, null);
        }
    }

    /** The worker is gone from its node: its slot is free for the oldest queued demand that fits. */
    public void destroyed(HandlerContext context, WorkerDestroyed destroyed, Instant sentAt, Instant now)
            throws Exception {
        Optional<Worker> worker = lockedPlacedOn(context, destroyed.getWorkerId(), destroyed.getNodeId());
        boolean freed = strayWorkerStore.remove(context.connection(), destroyed.getNodeId(), destroyed.getWorkerId());
        if (worker.isPresent()) {
            freed |= applyChange.apply(context, WorkerLifecycle.destroyed(worker.get()), now, null, sentAt);
        }
        if (freed) {
            placer.placeWhatFits(context, now);
        }
    }

    /** Takes the placement lock and reads the worker if the factory placed it on {@code nodeId}. */
    private Optional<Worker> lockedPlacedOn(HandlerContext context, String workerId, String nodeId)
            throws Exception {
        return workerStore.findUnderPlacementLock(context.connection(), workerId)
                .filter(worker -> worker.nodeId().equals(nodeId));
    }
}
