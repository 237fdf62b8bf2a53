package io.sluice.jobs.domain;

import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.StepSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One job's saga state: its spec, stage, attempt, worker, current step, outcome and held resources. The saga
 * changes it; the store loads and saves it whole under a row lock.
 */
public final class Job {

    private final String jobId;
    private final JobSpec spec;
    private final String specSha256;
    Stage stage;
    int attempt;
    WorkerStatus workerStatus;
    String workerId;
    String nodeId;
    int stepIndex;
    boolean stepRunning;
    boolean firstLaunchInDemand;
    boolean stopRequested;
    JobOutcome outcome;
    String reason;
    String failedStep;
    Integer exitCode;
    boolean finished;
    Instant queueDeadline;
    Instant runDeadline;
    final List<HeldResource> held;
    private final long version;

    /** The state as stored; {@code version} is the one it was loaded with. */
    public Job(String jobId, JobSpec spec, String specSha256, Stage stage, int attempt, WorkerStatus workerStatus,
               String workerId, String nodeId, int stepIndex, boolean stepRunning, boolean firstLaunchInDemand,
               boolean stopRequested,
               JobOutcome outcome, String reason, String failedStep, Integer exitCode, boolean finished,
               Instant queueDeadline, Instant runDeadline, List<HeldResource> held, long version) {
        this.jobId = jobId;
        this.spec = spec;
        this.specSha256 = specSha256;
        this.stage = stage;
        this.attempt = attempt;
        this.workerStatus = workerStatus;
        this.workerId = workerId;
        this.nodeId = nodeId;
        this.stepIndex = stepIndex;
        this.stepRunning = stepRunning;
        this.firstLaunchInDemand = firstLaunchInDemand;
        this.stopRequested = stopRequested;
        this.outcome = outcome;
        this.reason = reason;
        this.failedStep = failedStep;
        this.exitCode = exitCode;
        this.finished = finished;
        this.queueDeadline = queueDeadline;
        this.runDeadline = runDeadline;
        this.held = new ArrayList<>(held);
        this.version = version;
    }

    /** A new job at {@code stage}: first attempt, nothing held. */
    static Job withStage(String jobId, JobSpec spec, String specSha256, Stage stage) {
        return new Job(jobId, spec, specSha256, stage, 1, WorkerStatus.NONE, null, null, 0, false, false, false,
                null, null, null, null, false, null, null, List.of(), 0);
    }

    public String jobId() { return jobId; }
    public JobSpec spec() { return spec; }
    public String specSha256() { return specSha256; }
    public Stage stage() { return stage; }
    public int attempt() { return attempt; }
    public WorkerStatus workerStatus() { return workerStatus; }
    public String workerId() { return workerId; }
    public String nodeId() { return nodeId; }
    public int stepIndex() { return stepIndex; }
    public boolean stepRunning() { return stepRunning; }
    /** Whether the current attempt's demand carried step 0's launch (false for demands sent before it could). */
    public boolean firstLaunchInDemand() { return firstLaunchInDemand; }
    public boolean stopRequested() { return stopRequested; }
    public JobOutcome outcome() { return outcome; }
    public String reason() { return reason; }
    public String failedStep() { return failedStep; }
    public Integer exitCode() { return exitCode; }
    public boolean finished() { return finished; }
    public Instant queueDeadline() { return queueDeadline; }
    public Instant runDeadline() { return runDeadline; }
    public List<HeldResource> held() { return List.copyOf(held); }
    public long version() { return version; }

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
