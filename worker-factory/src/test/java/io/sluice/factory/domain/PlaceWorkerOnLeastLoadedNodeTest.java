package io.sluice.factory.domain;

import static io.sluice.factory.domain.Nodes.aNode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where workers go: the least loaded node that can take one, oldest demand first, FIFO per target. */
class PlaceWorkerOnLeastLoadedNodeTest {

    private final PlaceWorkerOnLeastLoadedNode placement = new PlaceWorkerOnLeastLoadedNode();

    @Test
    void a_worker_goes_to_the_node_with_the_smallest_share_of_its_slots_used() {
        List<NodeCapacity> nodes = List.of(
                aNode("big").using(2, 8).build(),
                aNode("small").using(1, 2).build());

        assertThat(chosen("linux", nodes)).contains("big");
    }

    @Test
    void equally_loaded_nodes_are_chosen_by_node_id() {
        List<NodeCapacity> nodes = List.of(
                aNode("n2").using(1, 2).build(),
                aNode("n1").using(2, 4).build());

        assertThat(chosen("linux", nodes)).contains("n1");
    }

    @Test
    void draining_lost_full_and_other_target_nodes_take_no_worker() {
        List<NodeCapacity> nodes = List.of(
                aNode("draining").using(0, 4).draining().build(),
                aNode("lost").using(0, 4).lost().build(),
                aNode("full").using(4, 4).build(),
                aNode("mac").serving("macos").using(0, 4).build());

        assertThat(chosen("linux", nodes)).isEmpty();
        assertThat(chosen("macos", nodes)).contains("mac");
    }

    @Test
    void queued_demands_are_placed_oldest_first_and_each_placement_uses_a_slot() {
        List<QueuedDemand> queue = List.of(demand("late", "linux", 3), demand("first", "linux", 1),
                demand("second", "linux", 2));
        List<NodeCapacity> nodes = List.of(aNode("n1").using(0, 1).build(), aNode("n2").using(0, 1).build());

        PlacementPlan plan = placement.plan(queue, nodes);

        assertThat(plan.placements()).extracting(p -> p.demand().jobId() + "@" + p.nodeId())
                .containsExactly("first@n1", "second@n2");
        assertThat(plan.nodesAfter()).allMatch(node -> node.slotsUsed() == 1);
    }

    @Test
    void a_target_without_room_keeps_its_queue_order_while_other_targets_are_served() {
        List<QueuedDemand> queue = List.of(demand("linux-1", "linux", 1), demand("mac-1", "macos", 2),
                demand("linux-2", "linux", 3));
        List<NodeCapacity> nodes = List.of(aNode("mac").serving("macos").using(0, 1).build());

        PlacementPlan plan = placement.plan(queue, nodes);

        assertThat(plan.placements()).extracting(p -> p.demand().jobId()).containsExactly("mac-1");
    }

    @Test
    void a_node_serving_several_targets_gives_its_slot_to_the_oldest_demand_of_any_of_them() {
        List<QueuedDemand> queue = List.of(demand("mac-old", "macos", 1), demand("linux-new", "linux", 2));
        List<NodeCapacity> nodes = List.of(aNode("both").serving("linux", "macos").using(3, 4).build());

        assertThat(placement.plan(queue, nodes).placements()).extracting(p -> p.demand().jobId())
                .containsExactly("mac-old");
    }

    private Optional<String> chosen(String target, List<NodeCapacity> nodes) {
        return placement.choose(target, nodes).map(NodeCapacity::nodeId);
    }

    private static QueuedDemand demand(String jobId, String target, long seq) {
        return new QueuedDemand(jobId, 1, target, seq);
    }
}
