package io.sluice.factory.domain;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a heartbeat's list of workers means to the factory: the workers the node hosts that the factory does not know
 * as live there are destroyed (once each), and the strays the node no longer lists are gone.
 */
public record Reconciliation(Set<String> toDestroy, Set<String> goneStrays) {

    public Reconciliation {
        toDestroy = Set.copyOf(toDestroy);
        goneStrays = Set.copyOf(goneStrays);
    }

    /**
     * @param reported         the workers the heartbeat lists
     * @param liveHere         the workers the factory knows as live (holding a slot) on this node
     * @param strays           the strays of this node already told to be destroyed
     * @param destroyedLater   reported workers the node said it destroyed after it sent the heartbeat (old news)
     */
    public static Reconciliation of(Collection<String> reported, Set<String> liveHere, Set<String> strays,
                                    Set<String> destroyedLater) {
        Set<String> toDestroy = new TreeSet<>();
        for (String workerId : reported) {
            if (!liveHere.contains(workerId) && !strays.contains(workerId) && !destroyedLater.contains(workerId)) {
                toDestroy.add(workerId);
            }
        }
        Set<String> gone = new TreeSet<>(strays);
        gone.removeAll(Set.copyOf(reported));
        return new Reconciliation(toDestroy, gone);
    }
}
