package io.sluice.runner.publish;

import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a node's heartbeat says: what it serves, its slots, its workers and processes, whether it drains, how it
 * isolates (and in which cgroup hierarchy), its version, since when it runs and how often it beats.
 */
public final class NodeHeartbeats {

    /** Said in the heartbeat and the log of a node that runs jobs without isolation. */
    public static final String UNISOLATED_WARNING = "isolation is NONE: job processes run as plain host processes, "
            + "unconfined, with the runner's user and full view of the host (for a laptop only)";

    private final String nodeId;
    private final List<String> targets;
    private final int slots;
    private final BooleanSupplier draining;
    private final boolean isolated;
    private final String cgroups;
    private final List<String> warnings;
    private final String version;
    private final Instant startedAt;
    private final Duration interval;

    /**
     * @param draining          whether the node drains now (its configuration or the operator's last order)
     * @param cgroups           the cgroup hierarchy of the isolation ("v1", "hybrid", "v2"); null without isolation
     * @param isolationWarnings what the isolation says an operator must know; a node without isolation that says
     *                          nothing of it gets {@link #UNISOLATED_WARNING}
     */
    public NodeHeartbeats(String nodeId, List<String> targets, int slots, BooleanSupplier draining, boolean isolated,
                          String cgroups, List<String> isolationWarnings, String version, Instant startedAt,
                          Duration interval) {
        this.nodeId = nodeId;
        this.targets = targets;
        this.slots = slots;
        this.draining = draining;
        this.isolated = isolated;
        this.cgroups = isolated ? cgroups : null;
        this.warnings = isolated || !isolationWarnings.isEmpty() ? List.copyOf(isolationWarnings)
                : List.of(UNISOLATED_WARNING);
        this.version = version;
        this.startedAt = startedAt;
        this.interval = interval;
    }

    /** The heartbeat of a node that has these workers and this many processes whose exit it has yet to report. */
    public NodeHeartbeat of(List<String> workers, int runningProcesses) {
        return NodeHeartbeat.newBuilder()
                .setNodeId(nodeId)
                .setHostname(hostname())
                .setTargets(targets)
                .setSlotsTotal(slots)
                .setSlotsUsed(workers.size())
                .setRunningProcesses(runningProcesses)
                .setWorkers(workers)
                .setDraining(draining.getAsBoolean())
                .setIsolation(isolated ? IsolationMode.RUNC : IsolationMode.NONE)
                .setWarnings(warnings)
                .setCgroups(cgroups)
                .setVersion(version)
                .setStartedAt(startedAt)
                .setIntervalMillis(interval.toMillis())
                .build();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
