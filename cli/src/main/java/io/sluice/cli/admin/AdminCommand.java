package io.sluice.cli.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice admin}: the operator's commands, which act on Sluice's broker, database and nodes rather than on jobs. */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "An operator's tasks on Sluice's broker, database and nodes (the broker's ACLs say who may: in "
                + "sluice dev, the admin of .sluice/dev/admin.kafka.properties).",
        subcommands = {ResetOffsetsCommand.class, RebuildProjectionsCommand.class, DrainCommand.class,
            UndrainCommand.class})
public final class AdminCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Without a subcommand there is nothing to do: show what exists. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
