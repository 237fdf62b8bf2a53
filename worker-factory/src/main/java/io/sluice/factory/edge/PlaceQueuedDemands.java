package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.worker.WorkerDemandEnvelope;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.factory.domain.DemandState;
import io.sluice.factory.domain.FactoryEvent;
import io.sluice.factory.domain.NodeCapacity;
import io.sluice.factory.domain.PlaceWorkerOnLeastLoadedNode;
import io.sluice.factory.domain.Placement;
import io.sluice.factory.domain.PlacementPlan;
import io.sluice.factory.domain.QueuedDemand;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.publish.PublishFactoryEvents;
import io.sluice.factory.store.DemandStore;
import io.sluice.factory.store.NodeStore;
import io.sluice.factory.store.WorkerStore;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives free slots to queued demands, oldest first, in the caller's transaction (which holds the placement lock):
 * each placement is a PREPARING worker, a WorkerPreparing for its job and a PrepareWorker for its node, followed
 * by the job's first LaunchProcess when the demand carries one (the queued demand's stored envelope holds it).
 */
@Singleton
public final class PlaceQueuedDemands {

    private static final Logger LOG = LoggerFactory.getLogger(PlaceQueuedDemands.class);
    private static final int BATCH = 100;
    private static final EventCodec<WorkerDemandEnvelope> DEMANDS = EventCodec.forTopic(Topic.WORKER_DEMANDS);

    private final PlaceWorkerOnLeastLoadedNode placement = new PlaceWorkerOnLeastLoadedNode();
    private final DemandStore demandStore;
    private final NodeStore nodeStore;
    private final WorkerStore workerStore;

    public PlaceQueuedDemands(DemandStore demandStore, NodeStore nodeStore, WorkerStore workerStore) {
        this.demandStore = demandStore;
        this.nodeStore = nodeStore;
        this.workerStore = workerStore;
    }

    /** Places every queued demand that fits on the live nodes now; returns the workers placed. */
    public List<Worker> placeWhatFits(HandlerContext context, Instant now) throws Exception {
        Connection connection = context.connection();
        List<NodeCapacity> nodes = nodeStore.liveCapacities(connection);
        Set<String> targetsWithRoom = targetsWithRoom(nodes);
        List<Worker> placed = new ArrayList<>();
        long afterSeq = 0;
        while (!targetsWithRoom.isEmpty()) {
            // No more demands than free slots can be placed: read no more (a long queue would be read in full).
            List<QueuedDemand> batch = demandStore.queued(connection, targetsWithRoom, afterSeq,
                    Math.min(BATCH, freeSlots(nodes)));
            if (batch.isEmpty()) {
                return placed;
            }
            PlacementPlan plan = placement.plan(batch, nodes);
            for (Placement decided : plan.placements()) {
                placed.add(place(context, decided, now));
            }
            nodes = plan.nodesAfter();
            afterSeq = batch.getLast().seq();
            // A target that ran out of room stays out for the rest of the pass: its later demands keep their turn.
            targetsWithRoom.retainAll(targetsWithRoom(nodes));
        }
        return placed;
    }

    private Worker place(HandlerContext context, Placement decided, Instant now) throws Exception {
        Connection connection = context.connection();
        QueuedDemand demand = decided.demand();
        WorkerDemandEnvelope envelope = DEMANDS.decode(demandStore.envelopeOf(connection, demand.jobId(),
                demand.attempt()));
        Worker worker = Worker.placed(decided);
        workerStore.insert(connection, worker, now);
        demandStore.decide(connection, demand.jobId(), demand.attempt(), DemandState.PLACED, now);
        PublishFactoryEvents.publish(context, new FactoryEvent.Preparing(worker));
        PublishFactoryEvents.prepareWorker(context, worker, (WorkerDemanded) envelope.getPayload());
        LOG.info("worker {} of target {} placed on node {}", worker.workerId(), worker.target(), worker.nodeId());
        return worker;
    }

    private static int freeSlots(List<NodeCapacity> nodes) {
        return nodes.stream().filter(node -> node.live() && !node.draining())
                .mapToInt(node -> Math.max(0, node.slotsTotal() - node.slotsUsed())).sum();
    }

    private static Set<String> targetsWithRoom(List<NodeCapacity> nodes) {
        Set<String> targets = new TreeSet<>();
        for (NodeCapacity node : nodes) {
            node.targets().stream().filter(node::canTake).forEach(targets::add);
        }
        return targets;
    }
}
