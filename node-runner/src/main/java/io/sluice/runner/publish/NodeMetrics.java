package io.sluice.runner.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The node runner's meters, labelled with its node: the processes it runs, how long a launch takes, the processes
 * the kernel killed for their memory, and how often a stop ladder had to escalate to SIGQUIT and to SIGKILL.
 */
public final class NodeMetrics {

    /** The signals a stop ladder escalates to, after the job's own shutdown signal. */
    public static final List<String> ESCALATIONS = List.of("QUIT", "KILL");

    private final MeterRegistry registry;
    private final String nodeId;
    private final Timer launches;
    private final Counter oomKills;

    public NodeMetrics(MeterRegistry registry, String nodeId) {
        this.registry = registry;
        this.nodeId = nodeId;
        this.launches = Timer.builder("sluice.node.launch.duration")
                .description("Time from a LaunchProcess command to its process running (isolation's launch)")
                .tag("node", nodeId).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(registry);
        this.oomKills = Counter.builder("sluice.node.oom.kills")
                .description("Processes that exited killed by the kernel for exceeding their memory limit")
                .tag("node", nodeId).register(registry);
        ESCALATIONS.forEach(signal -> escalation(signal));
    }

    /** The registry, for the runner's Kafka clients. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Shows {@code running} as the node's count of running processes. */
    public void processes(IntSupplier running) {
        Gauge.builder("sluice.node.processes", running, supplier -> supplier.getAsInt())
                .description("Processes the node runner runs (launched and not yet reported exited)")
                .tag("node", nodeId).strongReference(true).register(registry);
    }

    public void launched(Duration took) {
        launches.record(took);
    }

    public void oomKilled() {
        oomKills.increment();
    }

    /** A stop ladder escalated to {@code signal} ("QUIT" or "KILL"). */
    public void escalated(String signal) {
        escalation(signal).increment();
    }

    private Counter escalation(String signal) {
        return Counter.builder("sluice.node.stop.escalations")
                .description("Times a stop ladder had to escalate: to QUIT after the grace, to KILL after QUIT")
                .tags("node", nodeId, "signal", signal).register(registry);
    }
}
