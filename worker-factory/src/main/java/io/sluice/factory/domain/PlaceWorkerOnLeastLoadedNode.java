package io.sluice.factory.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses where workers go: a live, non-draining node that serves the target and has a free slot, the least loaded
 * (smallest fraction of its slots used) first, ties broken by node id; demands are served oldest first.
 */
public final class PlaceWorkerOnLeastLoadedNode {

    private static final Comparator<NodeCapacity> LEAST_LOADED =
            ((Comparator<NodeCapacity>) NodeCapacity::compareLoad).thenComparing(NodeCapacity::nodeId);

    /** The node a new worker of {@code target} goes to, if any has room. */
    public Optional<NodeCapacity> choose(String target, Collection<NodeCapacity> nodes) {
        return nodes.stream().filter(node -> node.canTake(target)).min(LEAST_LOADED);
    }

    /**
     * Places the {@code queue} (oldest first) on {@code nodes}, counting each placement against its node. A demand
     * that finds no room stays queued, and every later demand of its target with it: FIFO per target.
     */
    public PlacementPlan plan(List<QueuedDemand> queue, Collection<NodeCapacity> nodes) {
        Map<String, NodeCapacity> capacity = new LinkedHashMap<>();
        nodes.forEach(node -> capacity.put(node.nodeId(), node));
        Set<String> fullTargets = new HashSet<>();
        List<Placement> placements = new ArrayList<>();
        for (QueuedDemand demand : queue.stream().sorted(Comparator.comparingLong(QueuedDemand::seq)).toList()) {
            if (fullTargets.contains(demand.target())) {
                continue;
            }
            Optional<NodeCapacity> node = choose(demand.target(), capacity.values());
            if (node.isEmpty()) {
                fullTargets.add(demand.target());
                continue;
            }
            placements.add(new Placement(demand, node.get().nodeId()));
            capacity.put(node.get().nodeId(), node.get().withOneMoreWorker());
        }
        return new PlacementPlan(placements, List.copyOf(capacity.values()));
    }

    /** True when some node could take a worker of one of {@code targets}. */
    public boolean anyRoomFor(Collection<String> targets, Collection<NodeCapacity> nodes) {
        return targets.stream().anyMatch(target -> nodes.stream().anyMatch(node -> node.canTake(target)));
    }
}
