package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.factory.config.FactorySettings;
import io.sluice.factory.domain.NodeLiveness;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.domain.WorkerLifecycle;
import io.sluice.factory.store.NodeStore;
import io.sluice.factory.store.PlacementLock;
import io.sluice.factory.store.RegisteredNode;
import io.sluice.factory.store.StrayWorkerStore;
import io.sluice.factory.store.WorkerStore;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Declares lost the nodes silent for longer than `sluice.factory.node-lost-after`, and their workers with them. */
@Singleton
public final class DeclareSilentNodesLost {

    private static final Logger LOG = LoggerFactory.getLogger(DeclareSilentNodesLost.class);

    private final PlacementLock placementLock;
    private final NodeStore nodeStore;
    private final WorkerStore workerStore;
    private final StrayWorkerStore strayWorkerStore;
    private final ApplyWorkerChange applyChange;
    private final Duration lostAfter;

    public DeclareSilentNodesLost(PlacementLock placementLock, NodeStore nodeStore, WorkerStore workerStore,
                                  StrayWorkerStore strayWorkerStore, ApplyWorkerChange applyChange,
                                  FactorySettings settings) {
        this.placementLock = placementLock;
        this.nodeStore = nodeStore;
        this.workerStore = workerStore;
        this.strayWorkerStore = strayWorkerStore;
        this.applyChange = applyChange;
        this.lostAfter = settings.nodeLostAfter();
    }

    /**
     * One pass at {@code now}. Silence counts from {@code listeningSince} at the earliest: a factory that was not
     * running (or is still reading the heartbeats sent while it was down) cannot tell that a node was silent.
     */
    public int declare(HandlerContext context, Instant now, Instant listeningSince) throws Exception {
        if (!NodeLiveness.isSilent(listeningSince, now, lostAfter)) {
            return 0;
        }
        Connection connection = context.connection();
        placementLock.acquire(connection);
        List<RegisteredNode> silent = nodeStore.silentSince(connection, now.minus(lostAfter));
        for (RegisteredNode node : silent) {
            String reason = NodeLiveness.lostReason(node.nodeId(), node.lastHeartbeatAt(), now, lostAfter);
            nodeStore.markLost(connection, node.nodeId(), now);
            List<Worker> workers = workerStore.holdingSlotOn(connection, node.nodeId());
            for (Worker worker : workers) {
                applyChange.apply(context, WorkerLifecycle.nodeLost(worker, reason, node.lastHeartbeatAt()), now,
                        reason, null);
            }
            strayWorkerStore.removeAll(connection, node.nodeId());
            LOG.warn("{}; {} worker(s) lost with it", reason, workers.size());
        }
        return silent.size();
    }
}
