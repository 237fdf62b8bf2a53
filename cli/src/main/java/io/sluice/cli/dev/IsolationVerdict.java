package io.sluice.cli.dev;

import java.time.Duration;
import java.util.List;

import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;

/** The one line {@code sluice dev} prints about how its node runs jobs, as the node's heartbeat says it. */
final class IsolationVerdict {

    /** Longest line printed: the warnings come from the node, and one line must stay one readable line. */
    static final int MAX_LENGTH = 600;

    private static final String PREFIX = "node-runner: ";

    private IsolationVerdict() {
    }

    /**
     * "jobs run isolated under runc (cgroup v2)", or "jobs run UNISOLATED: " and what the node's warnings say is
     * missing.
     */
    static String of(NodeHeartbeat heartbeat) {
        if (heartbeat.getIsolation() == IsolationMode.RUNC) {
            String cgroups = heartbeat.getCgroups();
            return PREFIX + "jobs run isolated under runc" + (cgroups == null ? "" : " (cgroup " + cgroups + ")");
        }
        List<String> warnings = heartbeat.getWarnings().stream()
                .map(warning -> warning.replaceAll("\\s+", " ").strip())
                .filter(warning -> !warning.isEmpty())
                .toList();
        return bounded(PREFIX + "jobs run UNISOLATED: " + (warnings.isEmpty()
                ? "its heartbeat gives no reason (its log above may)" : String.join("; ", warnings)));
    }

    /** What is said when no heartbeat of the node came in time, with the last problem reading them, if any. */
    static String noHeartbeat(Duration waited, String lastProblem) {
        return bounded(PREFIX + "no heartbeat within " + waited.toSeconds() + " s, so sluice dev cannot say whether "
                + "jobs run isolated (the node's log above says)"
                + (lastProblem == null ? "" : "; reading the heartbeats: " + lastProblem.replaceAll("\\s+", " ")));
    }

    private static String bounded(String line) {
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }
}
