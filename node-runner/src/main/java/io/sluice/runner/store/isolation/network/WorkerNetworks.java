package io.sluice.runner.store.isolation.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/** The networks of the node's workers: one of its own per worker that asks for it, gone with the worker. */
public interface WorkerNetworks {

    /**
     * Gives the worker a network namespace of its own, anew if a crash left part of one, and returns the path its
     * processes join; null where the node cannot (its processes then share the host's network).
     */
    Path create(String workerId) throws IOException;

    /** Removes the worker's network, leaving nothing of it; does nothing when it has none. */
    void remove(String workerId) throws IOException;

    /**
     * At start: removes the networks of this runner's workers that are not in {@code keep} (a crash between steps
     * left them) and creates those of {@code keep} that are missing (a reboot cleared them).
     */
    void reconcile(Collection<String> keep) throws IOException;

    /** For a node without isolation: its processes run on the host, in the host's network. */
    static WorkerNetworks hostOnly() {
        return new WorkerNetworks() {
            @Override
            public Path create(String workerId) {
                return null;
            }

            @Override
            public void remove(String workerId) {
            }

            @Override
            public void reconcile(Collection<String> keep) {
            }
        };
    }
}
