package io.sluice.runner.edge.commands;

import io.sluice.events.node.NodeCommandEnvelope;
import java.util.concurrent.CompletableFuture;

/**
 * What the runner does with one command addressed to it. It reports what happened as node events itself (a
 * command that cannot be carried out becomes CommandRejected with the reason); an exception means a bug, and the
 * command is dead-lettered. Commands of different workers are handled at the same time, one worker's one at a time
 * in the order read. The command counts as applied once the result completes: when the broker has the events it
 * sent; a result that fails means they may not have arrived, and the command is applied again after a restart.
 */
@FunctionalInterface
public interface CommandHandler {

    CompletableFuture<?> handle(NodeCommandEnvelope command) throws Exception;
}
