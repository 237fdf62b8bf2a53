package io.sluice.cli.admin;

import io.sluice.cli.jobs.DurationConverter;
import io.sluice.cli.jobs.KafkaOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code drain} and {@code undrain} share: the node, the reason, and how long to wait for its heartbeat. */
abstract class NodeOrderCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Parameters(paramLabel = "NODE", description = "The node's id, as its heartbeat says it.")
    private String nodeId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the node's log.")
    private String reason;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait for the node's heartbeat to show the order (default: 30s).")
    private Duration timeout = NodeDrainOrder.DEFAULT_TIMEOUT;

    @Option(names = "--no-wait", description = "Return once the broker has the order.")
    private boolean noWait;

    /** True to drain the node, false to let it take work again. */
    abstract boolean draining();

    @Override
    public Integer call() {
        return new NodeDrainOrder(spec, kafkaOptions).give(nodeId, draining(), reason, noWait ? null : timeout);
    }
}
