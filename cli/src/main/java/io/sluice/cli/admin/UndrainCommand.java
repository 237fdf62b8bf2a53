package io.sluice.cli.admin;

import picocli.CommandLine.Command;

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
public final class UndrainCommand extends NodeOrderCommand {

    @Override
    boolean draining() {
        return false;
    }
}
