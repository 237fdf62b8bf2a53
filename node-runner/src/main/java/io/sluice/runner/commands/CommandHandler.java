package io.sluice.runner.commands;

import io.sluice.events.node.NodeCommandEnvelope;

/**
 * What the runner does with one command addressed to it. It reports what happened as node events itself (a
 * command that cannot be carried out becomes CommandRejected with the reason); an exception means a bug, and the
 * command is dead-lettered. Commands of different workers are handled at the same time, one worker's one at a time
 * in the order read.
 */
@FunctionalInterface
public interface CommandHandler {

    void handle(NodeCommandEnvelope command) throws Exception;
}
