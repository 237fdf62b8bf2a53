package io.sluice.factory.store;

import java.time.Instant;
import java.util.List;

/** A row of the node registry: what the node's last heartbeat said, when it was heard of, whether it is lost. */
public record RegisteredNode(String nodeId, String hostname, List<String> targets, int slotsTotal, boolean draining,
                             String isolation, String version, Instant startedAt, long intervalMillis,
                             Instant lastSentAt, Instant lastHeartbeatAt, Instant firstSeenAt, Instant lostAt) {

    public RegisteredNode {
        targets = List.copyOf(targets);
    }

    public boolean live() {
        return lostAt == null;
    }
}
