package io.sluice.cli.admin;

import io.sluice.cli.drain.DrainCommand;
import io.sluice.cli.drain.UndrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice admin}: what only an operator may do, each a subcommand. */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "What only an operator may do (the broker's ACLs say who: in sluice dev, the admin of "
                + ".sluice/dev/admin.kafka.properties).",
        subcommands = {DrainCommand.class, UndrainCommand.class})
public final class AdminCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
