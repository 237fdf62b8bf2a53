package io.sluice.jobs.domain;

import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.StepSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One job's saga state, immutable: its spec, stage, attempt, worker, current step, outcome and held resources. Each
 * change is a new {@code Job}; the stage changes only through {@link #moveTo}, which refuses a move the table of
 * {@link AllowedJobStageChanges} lacks. {@code version} is the one the store loaded it with.
 */
public record Job(String jobId, JobSpec spec, String specSha256, Stage stage, int attempt, WorkerStatus workerStatus,
                  String workerId, String nodeId, int stepIndex, boolean stepRunning, JobOutcome outcome,
                  String reason, String failedStep, Integer exitCode, boolean finished, Instant queueDeadline,
                  Instant runDeadline, List<HeldResource> held, long version) {

    public Job {
        held = List.copyOf(held);
    }

    /** A job just submitted, at {@code stage} (QUEUED or REJECTED): first attempt, nothing held, never stored. */
    static Job submitted(String jobId, JobSpec spec, String specSha256, Stage stage) {
        return new Job(jobId, spec, specSha256, stage, 1, WorkerStatus.NONE, null, null, 0, false, null, null, null,
                null, false, null, null, List.of(), 0);
    }

    /** The job in {@code next} stage; an {@link IllegalJobStageChangeException} if the job cannot move there. */
    Job moveTo(Stage next) {
        AllowedJobStageChanges.check(jobId, stage, next);
        return new Job(jobId, spec, specSha256, next, attempt, workerStatus, workerId, nodeId, stepIndex,
                stepRunning, outcome, reason, failedStep, exitCode, finished, queueDeadline, runDeadline, held,
                version);
    }

    Job withWorker(WorkerStatus status, String worker, String node) {
        return new Job(jobId, spec, specSha256, stage, attempt, status, worker, node, stepIndex, stepRunning,
                outcome, reason, failedStep, exitCode, finished, queueDeadline, runDeadline, held, version);
    }

    Job withWorkerStatus(WorkerStatus status) {
        return withWorker(status, workerId, nodeId);
    }

    Job withStep(int index, boolean running) {
        return new Job(jobId, spec, specSha256, stage, attempt, workerStatus, workerId, nodeId, index, running,
                outcome, reason, failedStep, exitCode, finished, queueDeadline, runDeadline, held, version);
    }

    Job withDeadlines(Instant queue, Instant run) {
        return new Job(jobId, spec, specSha256, stage, attempt, workerStatus, workerId, nodeId, stepIndex,
                stepRunning, outcome, reason, failedStep, exitCode, finished, queue, run, held, version);
    }

    Job withHeld(List<HeldResource> resources) {
        return new Job(jobId, spec, specSha256, stage, attempt, workerStatus, workerId, nodeId, stepIndex,
                stepRunning, outcome, reason, failedStep, exitCode, finished, queueDeadline, runDeadline, resources,
                version);
    }

    /** The next attempt after a lost node: no worker, back at step 0, no run deadline yet. */
    Job nextAttempt() {
        return new Job(jobId, spec, specSha256, stage, attempt + 1, workerStatus, null, null, 0, stepRunning,
                outcome, reason, failedStep, exitCode, finished, queueDeadline, null, held, version);
    }

    /** The outcome decided, deadlines no longer counting. */
    Job withOutcome(JobOutcome decided, String why, String step, Integer code) {
        return new Job(jobId, spec, specSha256, stage, attempt, workerStatus, workerId, nodeId, stepIndex,
                stepRunning, decided, why, step, code, finished, null, null, held, version);
    }

    /** JobFinished was sent: what remains is releasing the worker and the resources. */
    Job withFinished() {
        return new Job(jobId, spec, specSha256, stage, attempt, workerStatus, workerId, nodeId, stepIndex,
                stepRunning, outcome, reason, failedStep, exitCode, true, queueDeadline, runDeadline, held, version);
    }

    /**
     * The worker this attempt demanded: the factory names it {@code <job id>.<attempt>} (docs/job-lifecycle.md), so
     * the node's reports of the first step can be told apart from an older attempt's before WorkerAssigned arrives.
     */
    String demandedWorkerId() {
        return jobId + "." + attempt;
    }

    StepSpec currentStep() {
        return spec.getSteps().get(stepIndex);
    }

    /** The resource types in the order the job acquires them: lexicographic, so no two jobs can deadlock. */
    List<String> acquisitionOrder() {
        return spec.getResources().stream().map(request -> request.getType()).sorted().toList();
    }

    /** The type being acquired now, if the job is acquiring. */
    Optional<String> typeBeingAcquired() {
        List<String> order = acquisitionOrder();
        return stage == Stage.ACQUIRING && held.size() < order.size()
                ? Optional.of(order.get(held.size())) : Optional.empty();
    }
}
