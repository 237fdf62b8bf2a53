package io.sluice.factory.store;

import java.time.Instant;
import java.util.List;

/**
 * A row of the node registry: what the node's last heartbeat said, when it was heard of, whether it is lost.
 *
 * @param cgroups  the cgroup hierarchy the node's isolation uses ("v1", "hybrid", "v2"), or null when it did not say
 * @param warnings what the node says an operator must know, bounded (none from a node that said nothing)
 */
public record RegisteredNode(String nodeId, String hostname, List<String> targets, int slotsTotal, boolean draining,
                             String isolation, String cgroups, List<String> warnings, String version, Instant startedAt, long intervalMillis,
                             Instant lastSentAt, Instant lastHeartbeatAt, Instant firstSeenAt, Instant lostAt) {

    public RegisteredNode {
        targets = List.copyOf(targets);
        warnings = List.copyOf(warnings);
    }

    public boolean live() {
        return lostAt == null;
    }
}
