package io.sluice.cli.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobRetrying;
import io.sluice.events.job.JobStopping;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.ResourceAcquisitionStarted;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.job.WorkerRequested;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.schemas.Topic;

/**
 * What {@code sluice watch} prints of a job: each event as a line, the steps' output in between, and when the job is
 * over, with which exit code. A step's output is shown after the line saying the step started (job-service may say
 * so a moment after the first output was read), and all of it before the line saying the step finished.
 */
final class JobTranscript {

    /** How long output waits for its step's start to be announced before it is shown anyway. */
    static final Duration UNANNOUNCED_OUTPUT_HOLD = Duration.ofSeconds(2);

    /** How the transcript is written: as text lines for people, or as JSON lines ({@code -o json}). */
    interface Form {
        void event(JobRecord record);

        void output(String process, LogStream stream, String text);

        /** Something worth saying that is no event of the job. */
        void note(String text);
    }

    private final String jobId;
    private final UUID submissionEventId;
    private final Form form;
    private final LongSupplier nanoTime;
    private final OutputLines output;
    private final Set<StepRun> announced = new HashSet<>();
    private final Map<StepRun, List<LogChunk>> held = new LinkedHashMap<>();
    private final Map<StepRun, Long> heldSince = new HashMap<>();
    private final Map<String, String> workerOfStepAttempt = new HashMap<>();
    private boolean accepted;
    private String state = "not submitted yet";
    private OptionalInt exitCode = OptionalInt.empty();

    /**
     * @param submissionEventId the event id of the submission this command sent, if it sent one: a rejection
     *                          caused by it ends the watch even when the job id belongs to an earlier job
     */
    JobTranscript(String jobId, UUID submissionEventId, EventLines eventLines, Consumer<String> printer,
                  LongSupplier nanoTime) {
        this(jobId, submissionEventId, text(eventLines, printer), nanoTime);
    }

    JobTranscript(String jobId, UUID submissionEventId, Form form, LongSupplier nanoTime) {
        this.jobId = jobId;
        this.submissionEventId = submissionEventId;
        this.form = form;
        this.nanoTime = nanoTime;
        this.output = new OutputLines(form::output);
    }

    /** The text form: each event as {@link EventLines} says it, output prefixed by its step, notes indented. */
    static Form text(EventLines eventLines, Consumer<String> printer) {
        return new Form() {
            @Override
            public void event(JobRecord record) {
                eventLines.describe(record).forEach(printer);
            }

            @Override
            public void output(String process, LogStream stream, String text) {
                printer.accept(OutputLines.prefix(process, stream) + text);
            }

            @Override
            public void note(String text) {
                printer.accept("    (" + text + ")");
            }
        };
    }

    /** The JSON form: one {@link JobEventJson} object per event, output line and note. */
    static Form json(String jobId, Function<Topic, String> topicNames, EventLines eventLines,
                     Consumer<String> printer) {
        return new Form() {
            @Override
            public void event(JobRecord record) {
                printer.accept(JobEventJson.event(jobId, topicNames.apply(record.topic()), record,
                        String.join("\n", eventLines.describe(record))));
            }

            @Override
            public void output(String process, LogStream stream, String text) {
                printer.accept(JobEventJson.output(jobId, process, stream, text));
            }

            @Override
            public void note(String text) {
                printer.accept(JobEventJson.note(jobId, text));
            }
        };
    }

    /** Empty while the job goes on; its exit code once it is over (cleaned up, or rejected). */
    OptionalInt exitCode() {
        return exitCode;
    }

    /** The job's state as last seen, for a person. */
    String state() {
        return state;
    }

    void show(List<JobRecord> batch) {
        for (JobRecord record : batch) {
            if (exitCode.isPresent()) {
                return;
            }
            if (record.payload() instanceof LogChunk chunk) {
                showOutput(chunk);
            } else {
                showEvent(record);
            }
        }
    }

    /** Shows output whose step's start was not announced within {@link #UNANNOUNCED_OUTPUT_HOLD}. */
    void tick() {
        long now = nanoTime.getAsLong();
        new ArrayList<>(heldSince.entrySet()).stream()
                .filter(entry -> now - entry.getValue() > UNANNOUNCED_OUTPUT_HOLD.toNanos())
                .forEach(entry -> release(entry.getKey()));
    }

    private void showOutput(LogChunk chunk) {
        StepRun key = StepRun.of(chunk);
        if (announced.contains(key)) {
            output.accept(chunk);
            return;
        }
        held.computeIfAbsent(key, k -> new ArrayList<>()).add(chunk);
        heldSince.putIfAbsent(key, nanoTime.getAsLong());
    }

    private void release(StepRun key) {
        announced.add(key);
        heldSince.remove(key);
        List<LogChunk> chunks = held.remove(key);
        if (chunks != null) {
            chunks.forEach(output::accept);
        }
    }

    private void showEvent(JobRecord record) {
        Object payload = record.payload();
        if (payload instanceof StepFinished finished) {
            String workerId = workerOfStepAttempt.get(finished.getStepName() + "#" + finished.getAttempt());
            if (workerId != null) {
                StepRun key = new StepRun(workerId, finished.getStepName());
                release(key);
                output.finish(key);
            }
        }
        if (payload instanceof JobCleanedUp || endsTheWatch(record)) {
            new ArrayList<>(held.keySet()).forEach(this::release);
            output.finishAll();
        }
        form.event(record);
        follow(record);
        if (payload instanceof StepStarted started) {
            StepRun key = new StepRun(started.getWorkerId(), started.getStepName());
            workerOfStepAttempt.put(started.getStepName() + "#" + started.getAttempt(), started.getWorkerId());
            release(key);
        }
    }

    /** Keeps the state and, at the end, the exit code. */
    private void follow(JobRecord record) {
        switch (record.payload()) {
            case JobSubmitted submitted -> state = accepted ? state : "SUBMITTED, waiting for job-service";
            case JobAccepted acceptance -> {
                accepted = true;
                state = "SUBMITTED";
            }
            case JobQueued queued -> state = "QUEUED";
            case ResourceAcquisitionStarted started -> state = "ACQUIRING " + started.getResourceType();
            case WorkerRequested requested -> state = "WAITING_FOR_WORKER";
            case JobRetrying retrying -> state = "WAITING_FOR_WORKER";
            case JobPreparing preparing -> state = "PREPARING";
            case StepStarted started -> state = "RUNNING step " + started.getStepName();
            case JobStopping stopping -> state = "STOPPING";
            case JobFinished finished -> state = finished.getOutcome() + ", cleaning up";
            case JobCleanedUp cleanedUp -> {
                state = cleanedUp.getOutcome().toString();
                exitCode = OptionalInt.of(JobExitCodes.of(cleanedUp.getOutcome()));
            }
            case JobRejected rejected -> {
                if (endsTheWatch(record)) {
                    state = "REJECTED";
                    exitCode = OptionalInt.of(JobExitCodes.REJECTED_OR_USAGE);
                } else {
                    form.note("a later submission under the id " + jobId + " was rejected; the job above goes on");
                }
            }
            case JobRequestRefused refused when answersOurSubmission(record) -> {
                state = "REFUSED";
                exitCode = OptionalInt.of(JobExitCodes.REJECTED_OR_USAGE);
            }
            default -> {
                // Other events change no state worth remembering here.
            }
        }
    }

    /**
     * A rejection ends the watch when it answers this command's own submission, or when no job was accepted under
     * the id before it; otherwise it answers someone's reuse of the id, and the accepted job goes on.
     */
    private boolean endsTheWatch(JobRecord record) {
        if (!(record.payload() instanceof JobRejected)) {
            return false;
        }
        return answersOurSubmission(record) || !accepted;
    }

    private boolean answersOurSubmission(JobRecord record) {
        return submissionEventId != null && submissionEventId.toString().equals(record.metadata().getCausationId());
    }
}
