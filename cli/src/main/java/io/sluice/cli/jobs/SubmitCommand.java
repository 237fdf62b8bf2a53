package io.sluice.cli.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.sluice.events.InputFile;
import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ResourceRequest;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.schemas.signing.OwnerKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice submit}: builds a job from options and/or a JSON file, sends JobSubmitted, then follows the job. */
@Command(
        name = "submit",
        description = {
            "Submits a job and follows it to its end, as 'sluice watch' does.",
            "",
            "Steps come from --step (a shell command each, run in order) and/or --file; options given on the command "
                    + "line override the file's values, --step adds steps after the file's, and --env, --stop-grace "
                    + "and --shutdown-signal apply to every step.",
            "Exit codes: 0 succeeded (or sent, with --detach), 1 failed, timed out or cancelled, 2 rejected or a "
                    + "usage error, 3 no answer (broker unreachable, or --timeout passed)."
        },
        sortOptions = false)
public final class SubmitCommand implements Callable<Integer> {

    static final String DEFAULT_TARGET = "linux";
    static final long DEFAULT_STOP_GRACE_MILLIS = 20_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OwnerKeyOptions ownerKeyOptions;

    @Option(names = "--step", paramLabel = "NAME=COMMAND", converter = StepArgument.Converter.class,
            description = "A step running COMMAND with /bin/sh -c; repeat for more steps, which run in this order.")
    private List<StepArgument> steps = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", description = "A JSON file describing the job (see cli/README.md).")
    private Path file;

    @Option(names = "--job-id", paramLabel = "ID",
            description = "The job's id (default: a fresh one, job-<yyyyMMdd-HHmmss>-<4 hex digits>, UTC time).")
    private String jobId;

    @Option(names = "--owner", paramLabel = "USER", description = "Who the job runs for (default: $USER).")
    private String owner;

    @Option(names = "--name", paramLabel = "NAME", description = "The job's name (default: its first step's name).")
    private String name;

    @Option(names = "--target", paramLabel = "TARGET",
            description = "The kind of machine to run on (default: " + DEFAULT_TARGET + ").")
    private String target;

    @Option(names = "--env", paramLabel = "K=V", converter = KeyValueArgument.Converter.class,
            description = "An environment variable of every step; repeatable.")
    private List<KeyValueArgument> environment = new ArrayList<>();

    @Option(names = "--label", paramLabel = "K=V", converter = KeyValueArgument.Converter.class,
            description = "A label for your own bookkeeping; repeatable.")
    private List<KeyValueArgument> labels = new ArrayList<>();

    @Option(names = "--run-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest run from the first step's start, e.g. 30m (default: none).")
    private Duration runTimeout;

    @Option(names = "--queue-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest wait for a worker, e.g. 5m (default: none).")
    private Duration queueTimeout;

    @Option(names = "--retries-on-node-loss", paramLabel = "N",
            description = "Runs again from the first step this many times when the node is lost (default: 0).")
    private Integer retriesOnNodeLoss;

    @Option(names = "--stop-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a step may take to stop after its shutdown signal (default: 20s).")
    private Duration stopGrace;

    @Option(names = "--shutdown-signal", paramLabel = "TERM|INT",
            description = "The signal that asks a step to stop: ${COMPLETION-CANDIDATES} (default: TERM).")
    private ShutdownSignal shutdownSignal;

    @Option(names = "--detach", description = "Return once the broker has the job, printing only its id.")
    private boolean detach;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop following after this long, with exit code 3 (default: follow to the end).")
    private Duration timeout;

    @Override
    public Integer call() {
        JobSpec jobSpec = jobSpec(jobFile());
        String id = jobId != null ? jobId : JobIds.fresh(Instant.now());
        if (id.isBlank()) {
            throw usageError("--job-id must not be empty");
        }
        PrintWriter out = spec.commandLine().getOut();
        OwnerKey signer = ownerKeyOptions.load();
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            UUID eventId = UUID.randomUUID();
            JobSubmitted submitted = JobSubmitted.newBuilder().setJobId(id).setSpec(jobSpec).build();
            kafka.send(Topic.JOB_REQUESTS, id, sentAt -> Envelopes.<JobRequestEnvelope>envelope(Topic.JOB_REQUESTS,
                    Envelopes.metadata(eventId, sentAt, id, null, "sluice-cli/" + CurrentUser.name()), submitted),
                    signer);
            if (detach) {
                out.println(id);
                out.flush();
                return JobExitCodes.SUCCEEDED;
            }
            out.println("submitted job " + id + "; following it (Ctrl-C stops following, the job goes on; "
                    + "'sluice watch " + id + "' resumes)");
            out.flush();
            return new FollowJob(kafka, out, spec.commandLine().getErr()).follow(id, eventId, timeout);
        }
    }

    private JobFile jobFile() {
        if (file == null) {
            return null;
        }
        try {
            return JobFile.read(file);
        } catch (JobFile.Invalid invalid) {
            throw usageError("--file " + invalid.getMessage());
        }
    }

    /** The file's job with the command line's options over it. */
    JobSpec jobSpec(JobFile job) {
        List<StepSpec> stepSpecs = new ArrayList<>();
        if (job != null) {
            job.stepList().forEach(step -> stepSpecs.add(fromFile(step)));
        }
        steps.forEach(step -> stepSpecs.add(script(step)));
        if (stepSpecs.isEmpty()) {
            throw usageError("a job needs at least one step: give --step NAME=COMMAND, or a --file with steps");
        }
        Set<String> names = new HashSet<>();
        for (StepSpec step : stepSpecs) {
            if (!names.add(step.getName())) {
                throw usageError("step name '" + step.getName() + "' is used twice; each step needs its own name");
            }
        }
        List<StepSpec> finalSteps = stepSpecs.stream().map(this::withStepOptions).toList();
        return JobSpec.newBuilder()
                .setOwner(first(owner, job == null ? null : job.owner(), CurrentUser.name()))
                .setName(first(name, job == null ? null : job.name(), finalSteps.get(0).getName()))
                .setTarget(first(target, job == null ? null : job.target(), DEFAULT_TARGET))
                .setResources(job == null || job.resources() == null ? List.of() : job.resources().stream()
                        .map(resource -> ResourceRequest.newBuilder().setType(resource.type())
                                .setParameters(orEmpty(resource.parameters())).build()).toList())
                .setSteps(finalSteps)
                .setInputs(job == null || job.inputs() == null ? List.of() : job.inputs().stream()
                        .map(input -> InputFile.newBuilder().setSha256(input.sha256())
                                .setFetchUri(input.fetchUri()).setPath(input.path())
                                .setExecutable(Boolean.TRUE.equals(input.executable()))
                                .setSizeBytes(input.sizeBytes()).build()).toList())
                .setRunTimeoutMillis(millis(runTimeout != null ? runTimeout : job == null ? null : job.runTimeout()))
                .setQueueTimeoutMillis(millis(queueTimeout != null ? queueTimeout
                        : job == null ? null : job.queueTimeout()))
                .setRetriesOnNodeLoss(retriesOnNodeLoss != null ? retriesOnNodeLoss
                        : job == null || job.retriesOnNodeLoss() == null ? 0 : job.retriesOnNodeLoss())
                .setPersistentStore(job == null ? null : job.persistentStore())
                .setLabels(labels(job))
                .build();
    }

    private static StepSpec fromFile(JobFile.Step step) {
        JobFile.Limits limits = step.limits();
        return StepSpec.newBuilder()
                .setName(step.name())
                .setArgv(step.argv() == null ? List.of() : step.argv())
                .setScript(step.script())
                .setEnv(orEmpty(step.env()))
                .setWorkdir(step.workdir())
                .setLimits(limits == null ? ProcessLimits.newBuilder().build() : ProcessLimits.newBuilder()
                        .setMemoryBytes(limits.memoryBytes()).setPids(limits.pids())
                        .setOpenFiles(limits.openFiles()).setCpuShares(limits.cpuShares()).build())
                .setCapabilities(step.capabilities() == null ? List.of() : step.capabilities())
                .setShutdownSignal(step.shutdownSignal() == null ? ShutdownSignal.TERM : step.shutdownSignal())
                .setStopGraceMillis(step.stopGrace() == null ? DEFAULT_STOP_GRACE_MILLIS : step.stopGrace().toMillis())
                .build();
    }

    private static StepSpec script(StepArgument step) {
        return StepSpec.newBuilder()
                .setName(step.name())
                .setArgv(List.of())
                .setScript(step.command())
                .setEnv(Map.of())
                .setWorkdir(null)
                .setLimits(ProcessLimits.newBuilder().build())
                .setCapabilities(List.of())
                .setShutdownSignal(ShutdownSignal.TERM)
                .setStopGraceMillis(DEFAULT_STOP_GRACE_MILLIS)
                .build();
    }

    /** --env, --stop-grace and --shutdown-signal are for every step, over what a file said. */
    private StepSpec withStepOptions(StepSpec step) {
        StepSpec.Builder builder = StepSpec.newBuilder(step);
        if (!environment.isEmpty()) {
            Map<String, String> env = new LinkedHashMap<>(step.getEnv());
            environment.forEach(variable -> env.put(variable.key(), variable.value()));
            builder.setEnv(env);
        }
        if (stopGrace != null) {
            builder.setStopGraceMillis(stopGrace.toMillis());
        }
        if (shutdownSignal != null) {
            builder.setShutdownSignal(shutdownSignal);
        }
        return builder.build();
    }

    private Map<String, String> labels(JobFile job) {
        Map<String, String> all = new LinkedHashMap<>(job == null ? Map.of() : orEmpty(job.labels()));
        labels.forEach(label -> all.put(label.key(), label.value()));
        return all;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static Long millis(Duration duration) {
        return duration == null ? null : duration.toMillis();
    }

    private static String first(String option, String fromFile, String fallback) {
        if (option != null) {
            return option;
        }
        return fromFile != null ? fromFile : fallback;
    }

    private ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
