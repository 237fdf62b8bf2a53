package io.sluice.cli.jobs;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.sluice.cli.OutputOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice watch JOB}: a job's events and output from its beginning, until it is over. */
@Command(
        name = "watch",
        description = {
            "Prints a job's events, one line each, with its steps' output in between, from the job's first event "
                    + "until it is cleaned up (or rejected); works for a job long over too. With -o json, one JSON "
                    + "object per event and per output line.",
            "Exit codes: 0 succeeded, 1 failed, timed out or cancelled, 2 rejected (or a usage error), 3 no answer "
                    + "(broker unreachable, or --timeout passed first)."
        },
        sortOptions = false)
public final class WatchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption output;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to watch.")
    private String jobId;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop watching after this long, e.g. 10m, with exit code 3 (default: no limit).")
    private Duration timeout;

    @Override
    public Integer call() {
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            return new FollowJob(kafka, spec.commandLine().getOut(), spec.commandLine().getErr(), output.json())
                    .follow(jobId, null, timeout);
        }
    }
}
