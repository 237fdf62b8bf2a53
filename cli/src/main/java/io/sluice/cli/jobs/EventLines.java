package io.sluice.cli.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.sluice.cli.Colour;
import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobResourceReleased;
import io.sluice.events.job.JobRetrying;
import io.sluice.events.job.JobStopping;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.JobWorkerReleased;
import io.sluice.events.job.ResourceAcquired;
import io.sluice.events.job.ResourceAcquisitionStarted;
import io.sluice.events.job.SpecProblem;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.job.WorkerRequested;
import org.apache.avro.specific.SpecificRecord;

/**
 * Says what one job event means in one line: its time, its name and the facts that matter (the state it moves the
 * job to, a step's exit code, the outcome); a rejection adds one line per problem, naming the field.
 */
final class EventLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final int NAME_WIDTH = 18;

    private final ZoneId zone;
    private final LocalDate today;
    private final Colour colour;
    private int stepCount;

    EventLines(ZoneId zone, Instant now) {
        this(zone, now, Colour.none());
    }

    /** Lines whose outcome (and a rejection) is coloured with {@code colour}, when it is on. */
    EventLines(ZoneId zone, Instant now, Colour colour) {
        this.zone = zone;
        this.today = LocalDate.ofInstant(now, zone);
        this.colour = colour;
    }

    static String nameOf(Object payload) {
        return payload instanceof SpecificRecord record ? record.getSchema().getName()
                : payload.getClass().getSimpleName();
    }

    List<String> describe(JobRecord record) {
        Object payload = record.payload();
        List<String> lines = new ArrayList<>();
        lines.add(painted(payload, String.format("%s  %-" + NAME_WIDTH + "s %s", time(record.occurredAt()),
                nameOf(payload), facts(payload))));
        if (payload instanceof JobRejected rejected) {
            rejected.getProblems().forEach(problem -> lines.add(colour.failure("    - " + describe(problem))));
        }
        return lines;
    }

    /** The lines that say how the job ended or why it will not run stand out on a terminal. */
    private String painted(Object payload, String line) {
        return switch (payload) {
            case JobFinished finished -> outcome(finished.getOutcome(), line);
            case JobCleanedUp cleanedUp -> outcome(cleanedUp.getOutcome(), line);
            case JobRejected rejected -> colour.failure(line);
            case JobRequestRefused refused -> colour.failure(line);
            case JobStopping stopping -> colour.warning(line);
            default -> line;
        };
    }

    private String outcome(JobOutcome outcome, String line) {
        return outcome == JobOutcome.SUCCEEDED ? colour.success(line) : colour.failure(line);
    }

    private String facts(Object payload) {
        return switch (payload) {
            case JobSubmitted submitted -> {
                stepCount = submitted.getSpec().getSteps().size();
                yield "job '" + submitted.getSpec().getName() + "' of " + submitted.getSpec().getOwner()
                        + " on target " + submitted.getSpec().getTarget() + ", " + steps(submitted.getSpec());
            }
            case JobCancelRequested cancel -> "cancel requested by " + cancel.getRequestedBy()
                    + (cancel.getReason() == null ? "" : ": " + cancel.getReason());
            case JobAccepted accepted -> {
                stepCount = accepted.getSpec().getSteps().size();
                yield "state SUBMITTED: accepted, target " + accepted.getSpec().getTarget() + ", "
                        + steps(accepted.getSpec());
            }
            case JobRejected rejected -> "state REJECTED: " + (rejected.getProblems().isEmpty() ? rejected.getReason()
                    : rejected.getProblems().size() + (rejected.getProblems().size() == 1 ? " problem" : " problems"));
            case JobQueued queued -> "state QUEUED" + (queued.getQueueDeadline() == null ? ""
                    : ", until " + time(queued.getQueueDeadline()) + " at the latest");
            case ResourceAcquisitionStarted started -> "state ACQUIRING resource " + (started.getIndex() + 1) + " of "
                    + started.getCount() + ": " + started.getResourceType();
            case ResourceAcquired acquired -> acquired.getResourceType() + " granted: " + acquired.getResourceId()
                    + " (" + (acquired.getIndex() + 1) + " of " + acquired.getCount() + ")";
            case WorkerRequested requested -> "state WAITING_FOR_WORKER on target " + requested.getTarget()
                    + attempt(requested.getAttempt());
            case JobPreparing preparing -> "state PREPARING worker " + preparing.getWorkerId() + " on node "
                    + preparing.getNodeId() + attempt(preparing.getAttempt());
            case JobWorkerAssigned assigned -> "worker " + assigned.getWorkerId() + " on node " + assigned.getNodeId()
                    + " is ready" + attempt(assigned.getAttempt());
            case StepStarted started -> "state RUNNING step " + started.getStepName() + " ("
                    + stepNumber(started.getStepIndex()) + ") started" + (started.getPid() == null ? ""
                    : ", pid " + started.getPid()) + attempt(started.getAttempt());
            case StepFinished finished -> stepFinished(finished);
            case JobStopping stopping -> "state STOPPING, to be " + stopping.getOutcome() + ": " + stopping.getReason();
            case JobRetrying retrying -> "state WAITING_FOR_WORKER: attempt " + retrying.getAttempt() + " after "
                    + retrying.getReason();
            case JobFinished finished -> jobFinished(finished);
            case JobResourceReleased released -> released.getResourceType() + " " + released.getResourceId()
                    + " released";
            case JobWorkerReleased released -> "worker " + released.getWorkerId() + " released";
            case JobCleanedUp cleanedUp -> "closed, nothing of it left running; outcome " + cleanedUp.getOutcome();
            case JobRequestRefused refused -> "the " + refused.getRequest() + " request"
                    + (refused.getClaimedBy() == null ? "" : " as " + refused.getClaimedBy()) + " was refused: "
                    + refused.getReason();
            // Events a newer job-service adds still show, if plainly.
            default -> payload.toString();
        };
    }

    private static String jobFinished(JobFinished finished) {
        String text = "outcome " + finished.getOutcome();
        if (finished.getReason() != null) {
            text += ": " + finished.getReason();
        }
        // job-service's reason usually names the failed step and its exit code already; say them when it does not.
        boolean reasonNamesTheStep = finished.getReason() != null && finished.getFailedStep() != null
                && finished.getReason().contains(finished.getFailedStep());
        if (finished.getFailedStep() != null && !reasonNamesTheStep) {
            text += " [step " + finished.getFailedStep()
                    + (finished.getExitCode() == null ? "" : ", exit code " + finished.getExitCode()) + "]";
        }
        return text;
    }

    private String stepFinished(StepFinished finished) {
        String how;
        if (finished.getExitCode() != null) {
            how = "exit code " + finished.getExitCode();
        } else if (finished.getSignal() != null) {
            how = "killed by " + finished.getSignal();
        } else {
            how = "never started";
        }
        if (finished.getOomKilled()) {
            how += ", out of memory";
        }
        boolean ran = finished.getExitCode() != null || finished.getSignal() != null;
        String text = "step " + finished.getStepName() + (finished.getSucceeded() ? " succeeded" : " failed") + ", "
                + how + (ran ? " after " + DurationText.describe(Duration.ofMillis(finished.getDurationMillis())) : "");
        if (finished.getReason() != null && !finished.getReason().equals("exit code " + finished.getExitCode())) {
            text += ": " + finished.getReason();
        }
        return text + attempt(finished.getAttempt());
    }

    private String stepNumber(int index) {
        return (index + 1) + (stepCount > 0 ? " of " + stepCount : "");
    }

    private static String steps(JobSpec spec) {
        List<String> names = spec.getSteps().stream().map(StepSpec::getName).toList();
        return names.size() + (names.size() == 1 ? " step: " : " steps: ") + String.join(", ", names);
    }

    private static String attempt(int attempt) {
        return attempt > 1 ? " (attempt " + attempt + ")" : "";
    }

    private static String describe(SpecProblem problem) {
        return (problem.getField().isEmpty() ? "(the job)" : problem.getField()) + ": " + problem.getMessage();
    }

    private String time(Instant instant) {
        return (LocalDate.ofInstant(instant, zone).equals(today) ? TIME : DATE_TIME).format(instant.atZone(zone));
    }
}
