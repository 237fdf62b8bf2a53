package io.sluice.factory.domain;

import java.util.List;

/** The placements decided in one pass over the queue, and the nodes' capacities once they are made. */
public record PlacementPlan(List<Placement> placements, List<NodeCapacity> nodesAfter) {

    public PlacementPlan {
        placements = List.copyOf(placements);
        nodesAfter = List.copyOf(nodesAfter);
    }
}
