package io.sluice.runner.store.inputs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One lock per input digest, kept only while a thread holds or waits for it, so the map does not grow for ever. */
final class DigestLocks {

    /** Work done under a digest's lock. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** A digest's lock and how many threads hold or wait for it; changed only inside the map's compute calls. */
    private static final class Entry {
        private int users;
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    <T, E extends Exception> T underLockOf(String digest, Work<T, E> work) throws E {
        Entry entry = entries.compute(digest, (key, held) -> {
            Entry used = held == null ? new Entry() : held;
            used.users++;
            return used;
        });
        try {
            synchronized (entry) {
                return work.run();
            }
        } finally {
            entries.computeIfPresent(digest, (key, held) -> --held.users == 0 ? null : held);
        }
    }

    /** How many digests have a lock right now. */
    int size() {
        return entries.size();
    }
}
