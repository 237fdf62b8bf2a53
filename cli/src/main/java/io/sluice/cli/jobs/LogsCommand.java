package io.sluice.cli.jobs;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.sluice.cli.OutputOption;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.logs.LogChunk;
import io.sluice.schemas.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice logs JOB}: the output of a job's steps so far, step by step; with --follow, until the job is over. */
@Command(
        name = "logs",
        description = {
            "Prints the output of a job's steps so far, each step's in order, every line prefixed by its step "
                    + "([build] ..., [build stderr] ...). With --follow, goes on printing output as it comes until "
                    + "the job is cleaned up. With -o json, one JSON object per line: {\"jobId\", \"step\", "
                    + "\"stream\", \"line\"}.",
            "Exit codes: 0 printed, 2 a usage error, 3 no answer (broker unreachable)."
        },
        sortOptions = false)
public final class LogsCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption outputOption;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job whose output to print.")
    private String jobId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the job is cleaned up.")
    private boolean follow;

    @Option(names = "--step", paramLabel = "NAME", description = "Only this step's output; repeatable.")
    private List<String> steps = new ArrayList<>();

    private final Map<String, String> workerOfStepAttempt = new HashMap<>();
    private boolean accepted;
    private boolean over;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OutputLines output = new OutputLines((process, stream, text) -> {
            out.println(outputOption.json() ? JobEventJson.output(jobId, process, stream, text)
                    : OutputLines.prefix(process, stream) + text);
            out.flush();
        });
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            JobStream stream = new JobStream(kafka, jobId,
                    follow ? List.of(Topic.JOB_EVENTS, Topic.JOB_LOGS) : List.of(Topic.JOB_LOGS), message -> {
                        err.println("sluice: " + message);
                        err.flush();
                    }, JobIds.timeOf(jobId).orElse(null));
            List<JobRecord> history = stream.catchUp();
            boolean printed = printHistory(history, output);
            if (!printed) {
                err.println("sluice: no output of job " + jobId + " on " + kafka.nameOf(Topic.JOB_LOGS)
                        + (steps.isEmpty() ? "" : " from step " + String.join(", ", steps)) + (follow ? " yet" : ""));
                err.flush();
            }
            while (follow && !over) {
                stream.next(POLL).forEach(record -> showLive(record, output));
            }
            return JobExitCodes.SUCCEEDED;
        }
    }

    /** Each process's chunks together, in sequence order; a process still running keeps its unfinished line. */
    private boolean printHistory(List<JobRecord> history, OutputLines output) {
        Map<StepRun, List<LogChunk>> byProcess = new LinkedHashMap<>();
        Set<StepRun> finished = new HashSet<>();
        for (JobRecord record : history) {
            if (record.payload() instanceof LogChunk chunk && wanted(chunk)) {
                byProcess.computeIfAbsent(StepRun.of(chunk), key -> new ArrayList<>()).add(chunk);
            } else {
                StepRun ended = noteEvent(record.payload());
                if (ended != null) {
                    finished.add(ended);
                }
            }
        }
        byProcess.forEach((process, chunks) -> {
            chunks.stream().sorted(Comparator.comparingLong(LogChunk::getSequence)).forEach(output::accept);
            if (!follow || over || finished.contains(process)) {
                output.finish(process);
            }
        });
        return !byProcess.isEmpty();
    }

    private void showLive(JobRecord record, OutputLines output) {
        if (over) {
            return;
        }
        if (record.payload() instanceof LogChunk chunk) {
            if (wanted(chunk)) {
                output.accept(chunk);
            }
            return;
        }
        StepRun ended = noteEvent(record.payload());
        if (ended != null) {
            output.finish(ended);
        }
        if (over) {
            output.finishAll();
        }
    }

    /** Notes the job's progress; returns the process a finished step ran as, if the event says one finished. */
    private StepRun noteEvent(Object payload) {
        switch (payload) {
            case JobAccepted acceptance -> accepted = true;
            case StepStarted started ->
                    workerOfStepAttempt.put(started.getStepName() + "#" + started.getAttempt(), started.getWorkerId());
            case StepFinished finished -> {
                String workerId = workerOfStepAttempt.get(finished.getStepName() + "#" + finished.getAttempt());
                return workerId == null ? null : new StepRun(workerId, finished.getStepName());
            }
            case JobCleanedUp cleanedUp -> over = true;
            // A rejection of a later submission under the same id leaves an accepted job running.
            case JobRejected rejected -> over = over || !accepted;
            default -> {
                // Other events do not change what is printed.
            }
        }
        return null;
    }

    private boolean wanted(LogChunk chunk) {
        return steps.isEmpty() || steps.contains(chunk.getProcess());
    }
}
