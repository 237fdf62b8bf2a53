package io.sluice.well.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which waiting demands of one type get an instance now: the oldest first, each in the lowest free slot, until the
 * type's capacity is used. A demand never overtakes an older one of its type.
 */
public final class AdmitInFifoOrder {

    private AdmitInFifoOrder() {
    }

    /** Instances to make for the head of {@code queue} (oldest first), given the slots instances hold now. */
    public static List<ResourceInstance> admit(ResourceType type, Set<Integer> slotsInUse, List<QueuedDemand> queue,
                                               Instant now) {
        TreeSet<Integer> free = new TreeSet<>();
        for (int slot = 0; slot < type.capacity(); slot++) {
            if (!slotsInUse.contains(slot)) {
                free.add(slot);
            }
        }
        List<ResourceInstance> admitted = new ArrayList<>();
        for (QueuedDemand demand : queue) {
            if (free.isEmpty()) {
                break;
            }
            admitted.add(ResourceInstance.admitted(demand, type, free.pollFirst(), now));
        }
        return admitted;
    }
}
