package io.sluice.cli.admin;

import picocli.CommandLine.Command;

/** {@code sluice admin drain NODE}: the node takes no new workers; the ones it runs finish. */
@Command(
        name = "drain",
        description = {
            "Drains a node: worker-factory places no new worker on it, and the workers it runs finish normally. "
                    + "The node runner keeps the order (a restart goes on draining) and says it in its heartbeat; "
                    + "'sluice admin undrain' reverses it. Giving it twice changes nothing.",
            "Waits until the node's heartbeat says it drains, then prints what still runs there.",
            "Exit codes: 0 the node drains (or the order was sent, with --no-wait), 2 usage error or unknown node, "
                    + "3 no answer (broker unreachable, or the node did not say it within --timeout), 4 refused "
                    + "(only a principal allowed to write sluice.node.commands may)."
        },
        sortOptions = false)
public final class DrainCommand extends NodeOrderCommand {

    @Override
    boolean draining() {
        return true;
    }
}
