package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.factory.config.FactorySettings;
import io.sluice.factory.domain.NodeLiveness;
import io.sluice.factory.domain.NodeWarnings;
import io.sluice.factory.domain.Reconciliation;
import io.sluice.factory.domain.TargetCatalog;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.domain.WorkerLifecycle;
import io.sluice.factory.store.PlacementLock;
import io.sluice.factory.store.RegisteredNode;
import io.sluice.factory.store.NodeStore;
import io.sluice.factory.store.StrayWorkerStore;
import io.sluice.factory.store.WorkerStore;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node registry from heartbeats: a node joins, comes back or stops draining (and queued demands get its
 * slots), and the workers it hosts that the factory does not know as live there are destroyed.
 */
@Singleton
public final class RegisterHeartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterHeartbeats.class);

    private final TargetCatalog targets;
    private final PlacementLock placementLock;
    private final NodeStore nodeStore;
    private final WorkerStore workerStore;
    private final StrayWorkerStore strayWorkerStore;
    private final PlaceQueuedDemands placer;
    private final ApplyWorkerChange applyChange;
    private final DestroyStrayWorkers destroyStrays;
    private final Duration lostAfter;

    public RegisterHeartbeats(TargetCatalog targets, PlacementLock placementLock, NodeStore nodeStore,
                              WorkerStore workerStore, StrayWorkerStore strayWorkerStore, PlaceQueuedDemands placer,
                              ApplyWorkerChange applyChange, DestroyStrayWorkers destroyStrays,
                              FactorySettings settings) {
        this.targets = targets;
        this.placementLock = placementLock;
        this.nodeStore = nodeStore;
        this.workerStore = workerStore;
        this.strayWorkerStore = strayWorkerStore;
        this.placer = placer;
        this.applyChange = applyChange;
        this.destroyStrays = destroyStrays;
        this.lostAfter = settings.nodeLostAfter();
    }

    public void heartbeat(HandlerContext context, NodeHeartbeat beat, Instant sentAt, Instant now) throws Exception {
        Connection connection = context.connection();
        placementLock.acquire(connection);
        Optional<RegisteredNode> known = nodeStore.find(connection, beat.getNodeId());
        if (known.isPresent() && !sentAt.isAfter(known.get().lastSentAt())) {
            return; // no newer than what the registry holds
        }
        Instant heardAt = NodeLiveness.heardAt(sentAt, now);
        boolean stale = NodeLiveness.isSilent(heardAt, now, lostAfter);
        if (stale) {
            LOG.warn("heartbeat of node {} is {} ms old on arrival (backlog, or the node's clock is behind)",
                    beat.getNodeId(), Duration.between(heardAt, now).toMillis());
        }
        // A stale heartbeat does not revive a lost node; whether a live one is lost is the expiry task's call.
        Instant lostAt = stale ? known.map(RegisteredNode::lostAt).orElse(now) : null;
        RegisteredNode node = new RegisteredNode(beat.getNodeId(), beat.getHostname(),
                List.copyOf(targets.canonical(beat.getTargets())), beat.getSlotsTotal(), beat.getDraining(),
                beat.getIsolation().name(), NodeWarnings.boundedCgroups(beat.getCgroups()),
                NodeWarnings.bounded(beat.getWarnings()), beat.getVersion(), beat.getStartedAt(), beat.getIntervalMillis(), sentAt,
                heardAt, known.map(RegisteredNode::firstSeenAt).orElse(now), lostAt);
        nodeStore.save(connection, node);
        logChange(known, node);
        if (node.live()) {
            reconcile(context, node.nodeId(), beat.getWorkers(), sentAt, now);
            loseUnlisted(context, node.nodeId(), beat, sentAt, now);
            placer.placeWhatFits(context, now);
        }
    }

    private void reconcile(HandlerContext context, String nodeId, List<String> reported, Instant sentAt,
                           Instant now) throws Exception {
        Connection connection = context.connection();
        Set<String> liveHere = workerStore.holdingSlotOn(connection, nodeId).stream().map(Worker::workerId)
                .collect(Collectors.toSet());
        Reconciliation reconciliation = Reconciliation.of(reported, liveHere, strayWorkerStore.on(connection, nodeId),
                workerStore.destroyedOnNodeSince(connection, nodeId, reported, sentAt));
        for (String gone : reconciliation.goneStrays()) {
            strayWorkerStore.remove(connection, nodeId, gone);
        }
        for (String stray : reconciliation.toDestroy()) {
            destroyStrays.destroyOnce(context, nodeId, stray, now);
        }
    }

    /**
     * A worker the node reported prepared well before it sent this heartbeat (two intervals, so the heartbeat was
     * built after the preparation) and that the heartbeat does not list is no longer on the node: it restarted
     * without its state, say. Its job learns it as lost, as when a node goes silent, instead of waiting forever.
     */
    private void loseUnlisted(HandlerContext context, String nodeId, NodeHeartbeat beat, Instant sentAt,
                              Instant now) throws Exception {
        Instant preparedBefore = sentAt.minusMillis(2L * beat.getIntervalMillis());
        for (Worker worker : workerStore.assignedButUnlisted(context.connection(), nodeId, beat.getWorkers(),
                preparedBefore)) {
            String reason = "node-lost: node " + nodeId + " no longer has worker " + worker.workerId()
                    + " (its heartbeat of " + sentAt + " does not list it; did the node restart without its state?)";
            LOG.warn(reason);
            applyChange.apply(context, WorkerLifecycle.nodeLost(worker, reason, sentAt), now, reason, null);
        }
    }

    private static void logChange(Optional<RegisteredNode> before, RegisteredNode after) {
        if (before.isEmpty()) {
            LOG.info("node {} ({}) joined{}: targets {}, {} slots{}", after.nodeId(), after.hostname(),
                    after.live() ? "" : " as lost (its heartbeat is stale)", after.targets(), after.slotsTotal(),
                    after.draining() ? ", draining" : "");
            return;
        }
        if (!before.get().live() && after.live()) {
            LOG.info("node {} is back after it was lost at {}", after.nodeId(), before.get().lostAt());
        }
        if (before.get().draining() != after.draining()) {
            LOG.info("node {} {}", after.nodeId(), after.draining() ? "drains: it takes no new workers"
                    : "stopped draining");
        }
    }
}
