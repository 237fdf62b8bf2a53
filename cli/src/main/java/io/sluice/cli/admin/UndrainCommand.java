package io.sluice.cli.admin;

import io.sluice.cli.jobs.DurationConverter;
import io.sluice.cli.jobs.KafkaOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice admin undrain NODE}: the node takes work again. */
@Command(
        name = "undrain",
        description = {
            "Lets a drained node take work again: queued jobs of its targets may be placed on it at once. Giving it "
                    + "twice changes nothing. A node whose own configuration says draining keeps draining.",
            "Waits until the node's heartbeat says it takes work.",
            "Exit codes: 0 the node takes work (or the order was sent, with --no-wait), 2 usage error or unknown "
                    + "node, 3 no answer (broker unreachable, or the node did not say it within --timeout), "
                    + "4 refused (only a principal allowed to write sluice.node.commands may)."
        },
        sortOptions = false)
public final class UndrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Parameters(paramLabel = "NODE", description = "The node's id, as its heartbeat says it.")
    private String nodeId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the node's log.")
    private String reason;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait for the node's heartbeat to say it takes work (default: 30s).")
    private Duration timeout = NodeDrainOrder.DEFAULT_TIMEOUT;

    @Option(names = "--no-wait", description = "Return once the broker has the order.")
    private boolean noWait;

    @Override
    public Integer call() {
        return new NodeDrainOrder(spec, kafkaOptions).give(nodeId, false, reason, noWait ? null : timeout);
    }
}
