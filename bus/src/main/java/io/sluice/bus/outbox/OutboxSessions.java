package io.sluice.bus.outbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PostgreSQL sessions (backend pids) this instance's outbox has written through: their commits already woke the
 * relay in-process, so {@link OutboxNotifications} ignores the notifications they raise, which would otherwise cost
 * the relay one empty pass per commit.
 */
public final class OutboxSessions {

    /** Pooled connections are few and long-lived; past this many pids the oldest are surely gone, start afresh. */
    private static final int LIMIT = 1024;

    private final Set<Integer> pids = ConcurrentHashMap.newKeySet();

    void wrote(int backendPid) {
        if (pids.size() >= LIMIT && !pids.contains(backendPid)) {
            pids.clear();
        }
        pids.add(backendPid);
    }

    /**
     * Whether a notification from {@code backendPid} announces this instance's own commit. A pid the server has
     * since reused for another instance's session would hide that instance's commits until the relay's idle poll.
     */
    boolean isOwn(int backendPid) {
        return pids.contains(backendPid);
    }
}
