package io.sluice.cli;

import io.sluice.cli.admin.AdminCommand;
import io.sluice.cli.api.ListCommand;
import io.sluice.cli.api.NodesCommand;
import io.sluice.cli.api.StatusCommand;
import io.sluice.cli.dev.DevCommand;
import io.sluice.cli.inspect.EventsCommand;
import io.sluice.cli.inspect.TraceCommand;
import io.sluice.cli.jobs.CancelCommand;
import io.sluice.cli.jobs.LogsCommand;
import io.sluice.cli.jobs.SubmitCommand;
import io.sluice.cli.jobs.WatchCommand;
import io.sluice.cli.owner.KeygenCommand;
import io.sluice.cli.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code sluice} command: one subcommand per task, each a small class registered below. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceVersion.class,
        description = "Sluice runs jobs on workers and managed resources; this command drives it.",
        subcommands = {DevCommand.class, SubmitCommand.class, WatchCommand.class, LogsCommand.class,
            CancelCommand.class, ListCommand.class, StatusCommand.class, NodesCommand.class, EventsCommand.class,
            TraceCommand.class, ReplayCommand.class, AdminCommand.class, KeygenCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class Sluice implements Runnable {

    /** The cli's logging configuration, named apart from the logback.xml of job-service's jar on its class path. */
    static final String LOGGING = "sluice-cli-logback.xml";

    public static void main(String[] args) {
        Colour.useForStandardOutput();
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code: 0 on success, 1 when the task (or the job) failed, 2 on a usage
     * error (or a rejected job), 3 when the job commands got no answer.
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its subcommands and error reporting, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new Sluice())
                .setExecutionExceptionHandler(new ReportFailure())
                .setParameterExceptionHandler(new ReportUsageError());
    }

    /** Without a subcommand there is nothing to do: show what exists. */
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
