package io.sluice.factory.domain;

import java.util.Set;

/**
 * What placement needs to know of a node: whether it is live and takes workers, what it serves, and how many of its
 * slots the factory's own live workers (and the strays being destroyed) use.
 */
public record NodeCapacity(String nodeId, Set<String> targets, int slotsTotal, int slotsUsed, boolean draining,
                           boolean live) {

    public NodeCapacity {
        targets = Set.copyOf(targets);
    }

    /** True when a new worker of {@code target} may go to this node now. */
    public boolean canTake(String target) {
        return live && !draining && slotsUsed < slotsTotal && targets.contains(target);
    }

    public NodeCapacity withOneMoreWorker() {
        return new NodeCapacity(nodeId, targets, slotsTotal, slotsUsed + 1, draining, live);
    }

    /** Compares loads (the fraction of slots used) exactly, without rounding. */
    int compareLoad(NodeCapacity other) {
        return Long.compare((long) slotsUsed * other.slotsTotal, (long) other.slotsUsed * slotsTotal);
    }
}
