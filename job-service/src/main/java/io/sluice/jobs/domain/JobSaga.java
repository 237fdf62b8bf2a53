package io.sluice.jobs.domain;

import io.sluice.events.GrantedResource;
import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.ResourceRequest;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobResourceReleased;
import io.sluice.events.job.JobRetrying;
import io.sluice.events.job.JobStopping;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.JobWorkerReleased;
import io.sluice.events.job.ResourceAcquired;
import io.sluice.events.job.ResourceAcquisitionStarted;
import io.sluice.events.job.SpecProblem;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.job.WorkerRequested;
import io.sluice.events.node.StopProcess;
import io.sluice.events.resource.ResourceDemandWithdrawn;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.events.resource.ResourceReleaseRequested;
import io.sluice.events.worker.WorkerDemandWithdrawn;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The job saga's decisions for one job and one input: each input returns a {@link JobChange}, the job before and
 * after it and the events and commands it sends. Pure: no clock (times come in as arguments), no Kafka, no database.
 */
public final class JobSaga {

    private static final String NODE_LOST = "node-lost: ";

    private final Job before;
    private Job job;
    private final List<Outgoing> outgoing = new ArrayList<>();

    private JobSaga(Job before, Job job) {
        this.before = before;
        this.job = job;
    }

    /** The saga of {@code job} as the store loaded it, ready for one input. */
    public static JobSaga of(Job job) {
        return new JobSaga(job, job);
    }

    /**
     * Starts a saga for a job that intake accepted; its queue timeout counts from {@code now}. The submission time is
     * the client's stamp of its request, never later than {@code now}: a client whose clock runs ahead cannot put
     * its submission after its acceptance.
     */
    public static JobChange accept(String jobId, JobSpec spec, String specSha256, Instant submittedAt, Instant now) {
        JobSaga saga = new JobSaga(null, Job.submitted(jobId, spec, specSha256, Stage.QUEUED));
        saga.jobEvent(JobAccepted.newBuilder()
                .setJobId(jobId).setSubmittedAt(submittedAt.isAfter(now) ? now : submittedAt).setSpec(spec).build());
        if (spec.getQueueTimeoutMillis() != null) {
            saga.job = saga.job.withDeadlines(now.plusMillis(spec.getQueueTimeoutMillis()), null);
        }
        saga.jobEvent(JobQueued.newBuilder()
                .setJobId(jobId).setQueueDeadline(saga.job.queueDeadline()).build());
        saga.acquireNextOrDemandWorker();
        return saga.change();
    }

    /** Records a job that intake rejected, so a resubmission of the same id is recognised. */
    public static JobChange reject(String jobId, JobSpec spec, String specSha256, List<SpecProblem> problems) {
        JobSaga saga = new JobSaga(null, Job.submitted(jobId, spec, specSha256, Stage.REJECTED));
        saga.jobEvent(rejection(jobId, spec, problems));
        return saga.change();
    }

    /**
     * The answer to a submission with {@code problems}; alone (not recorded) for one whose job id cannot name a job,
     * so a resubmission of it is answered the same.
     */
    public static JobRejected rejection(String jobId, JobSpec spec, List<SpecProblem> problems) {
        return JobRejected.newBuilder().setJobId(jobId).setOwner(JobSpecValidator.cut(spec.getOwner()))
                .setName(JobSpecValidator.cut(spec.getName())).setReason(JobSpecValidator.summary(problems))
                .setProblems(problems).build();
    }

    /** Answers a submission that reuses the id of another job with a different spec; that job goes on unchanged. */
    public static JobRejected idTaken(String jobId, JobSpec spec) {
        SpecProblem problem = SpecProblem.newBuilder().setField("jobId").setMessage("job id '" + jobId
                + "' is already used by a job with a different spec; choose a new id").build();
        return rejection(jobId, spec, List.of(problem));
    }

    /** Says that intake refused a request as not coming from whom it claims, or not theirs to make. */
    public static JobRequestRefused refused(String jobId, String request, String claimedBy, String reason) {
        return JobRequestRefused.newBuilder().setJobId(jobId).setRequest(request)
                .setClaimedBy(JobSpecValidator.cut(claimedBy)).setReason(reason).build();
    }

    private JobChange change() {
        return new JobChange(before, job, outgoing);
    }
    // ---- resources -------------------------------------------------------------------------------------------

    public JobChange resourceGranted(GrantedResource granted) {
        boolean expected = job.typeBeingAcquired().filter(type -> type.equals(granted.getType())).isPresent();
        if (!expected) {
            // A grant the job no longer waits for (cancelled meanwhile, or a repeat): give it straight back.
            boolean alreadyHeld = job.held().stream().anyMatch(h -> h.resourceId().equals(granted.getResourceId()));
            if (!alreadyHeld) {
                send(new Outgoing.ToResourceWell(granted.getType(), ResourceReleaseRequested.newBuilder()
                        .setJobId(job.jobId()).setResourceType(granted.getType())
                        .setResourceId(granted.getResourceId()).build()));
            }
            return change();
        }
        int index = job.held().size();
        List<HeldResource> held = new ArrayList<>(job.held());
        held.add(new HeldResource(index, granted, HeldResource.Release.HELD));
        job = job.withHeld(held);
        jobEvent(ResourceAcquired.newBuilder().setJobId(job.jobId()).setResourceType(granted.getType())
                .setResourceId(granted.getResourceId()).setIndex(index).setCount(job.acquisitionOrder().size())
                .setMetadata(Map.copyOf(granted.getMetadata())).build());
        acquireNextOrDemandWorker();
        return change();
    }

    public JobChange resourceProvisionFailed(String type, String failure) {
        if (job.typeBeingAcquired().filter(type::equals).isPresent()) {
            decideOutcome(JobOutcome.FAILED, "resource-failed: " + type + ": " + failure, null, null, null);
        }
        return change();
    }

    /**
     * A well reports a resource released: at the job's request during its clean-up, or by the well on its own (the
     * resource outlived its type's lifetime), which fails a job that has no outcome yet: it cannot go on without it.
     */
    public JobChange resourceReleased(String resourceId, String why) {
        for (int i = 0; i < job.held().size(); i++) {
            HeldResource resource = job.held().get(i);
            if (!resource.resourceId().equals(resourceId) || resource.release() == HeldResource.Release.RELEASED) {
                continue;
            }
            boolean takenAway = resource.release() == HeldResource.Release.HELD;
            job = job.withHeld(replaced(job.held(), i, resource.with(HeldResource.Release.RELEASED)));
            jobEvent(JobResourceReleased.newBuilder().setJobId(job.jobId()).setResourceType(resource.type())
                    .setResourceId(resourceId).build());
            if (takenAway && job.stage().beforeOutcome()) {
                decideOutcome(JobOutcome.FAILED, "resource-lost: " + resource.type() + " " + resourceId + ": "
                        + (why == null ? "released by its well" : why), null, null, null);
            } else {
                releaseNextResourceOrCleanUp();
            }
            break;
        }
        return change();
    }

    private void acquireNextOrDemandWorker() {
        List<String> order = job.acquisitionOrder();
        int next = job.held().size();
        if (next < order.size()) {
            String type = order.get(next);
            job = job.moveTo(Stage.ACQUIRING);
            jobEvent(ResourceAcquisitionStarted.newBuilder().setJobId(job.jobId()).setResourceType(type)
                    .setIndex(next).setCount(order.size()).build());
            send(new Outgoing.ToResourceWell(type, ResourceDemanded.newBuilder().setJobId(job.jobId())
                    .setResourceType(type).setOwner(job.spec().getOwner())
                    .setParameters(parametersOf(type)).build()));
        } else {
            demandWorker();
        }
    }

    private Map<String, String> parametersOf(String type) {
        return job.spec().getResources().stream().filter(r -> r.getType().equals(type)).findFirst()
                .map(ResourceRequest::getParameters).map(Map::copyOf).orElse(Map.of());
    }

    // ---- worker ----------------------------------------------------------------------------------------------

    /** Demands a worker for this attempt with step 0's launch, which the factory sends to the node it places it on. */
    private void demandWorker() {
        job = job.moveTo(Stage.WAITING_FOR_WORKER).withWorkerStatus(WorkerStatus.DEMANDED).withStep(0, false);
        String target = job.spec().getTarget();
        jobEvent(WorkerRequested.newBuilder().setJobId(job.jobId()).setTarget(target).setAttempt(job.attempt())
                .build());
        send(new Outgoing.ToWorkerFactory(target, WorkerDemanded.newBuilder().setJobId(job.jobId())
                .setAttempt(job.attempt()).setTarget(target).setOwner(job.spec().getOwner())
                .setInputs(job.spec().getInputs()).setResources(job.held().stream().map(HeldResource::granted)
                        .toList())
                .setPersistentStore(job.spec().getPersistentStore()).setNetwork(job.spec().getNetwork())
                .setFirstLaunch(StepLaunches.firstLaunchOf(job.spec().getSteps().getFirst())).build()));
    }

    public JobChange workerPreparing(int attempt, String workerId, String nodeId) {
        if (attempt != job.attempt()) {
            return change();
        }
        if (job.workerStatus() == WorkerStatus.DEMANDED) {
            job = job.withWorker(WorkerStatus.PLACED, workerId, nodeId).moveTo(Stage.PREPARING);
            jobEvent(JobPreparing.newBuilder().setJobId(job.jobId()).setWorkerId(workerId)
                    .setNodeId(nodeId).setAttempt(attempt).build());
        } else if (job.workerStatus() == WorkerStatus.WITHDRAWING) {
            // Placed before our withdrawal reached the factory; it releases this worker and answers WorkerReleased.
            job = job.withWorker(WorkerStatus.WITHDRAWING, workerId, nodeId);
        }
        return change();
    }

    /**
     * The worker is prepared and the job's. Step 0 needs no LaunchProcess from here: the factory sent it with the
     * placement. A report of step 0 that came first already implied the assignment, and this is a no-op.
     */
    public JobChange workerAssigned(int attempt, String workerId, String nodeId) {
        if (attempt == job.attempt() && awaitingAssignment()) {
            assign(workerId, nodeId);
        }
        return change();
    }

    private boolean awaitingAssignment() {
        return job.workerStatus() == WorkerStatus.DEMANDED || job.workerStatus() == WorkerStatus.PLACED;
    }

    private void assign(String workerId, String nodeId) {
        job = job.withWorker(WorkerStatus.ASSIGNED, workerId, nodeId).moveTo(Stage.RUNNING)
                .withDeadlines(null, job.runDeadline()).withStep(0, true);
        jobEvent(JobWorkerAssigned.newBuilder().setJobId(job.jobId()).setWorkerId(workerId)
                .setNodeId(nodeId).setAttempt(job.attempt()).build());
    }

    /**
     * The node reports step 0 in the worker this attempt demanded before the factory's WorkerAssigned arrived (the
     * two travel on different topics). The node launched it only after preparing the worker, so the worker is
     * prepared and the job's: take the report as the assignment, so JobWorkerAssigned comes before StepStarted.
     */
    private void assignOnFirstStepReport(String nodeId, String workerId, String process) {
        if (awaitingAssignment() && workerId.equals(job.demandedWorkerId())
                && process.equals(job.spec().getSteps().getFirst().getName())) {
            assign(workerId, nodeId);
        }
    }

    public JobChange workerFailed(int attempt, String failure) {
        if (attempt != job.attempt()) {
            return change();
        }
        if (job.workerStatus() == WorkerStatus.WITHDRAWING) {
            // The factory's answer to our withdrawal: no worker was ever placed.
            job = job.withWorkerStatus(WorkerStatus.GONE);
            releaseNextResourceOrCleanUp();
        } else if (job.workerStatus().mayHoldWorker()) {
            // The factory destroys a worker that failed to prepare itself; there is nothing to give back.
            job = job.withWorkerStatus(WorkerStatus.GONE);
            if (job.stage().beforeOutcome()) {
                decideOutcome(JobOutcome.FAILED, "worker-failed: " + failure, null, null, null);
            } else {
                // Its step was being stopped: the outcome stands, and no step is left to wait for.
                job = job.withStep(job.stepIndex(), false);
                if (!job.finished()) {
                    finish();
                } else {
                    releaseNextResourceOrCleanUp();
                }
            }
        }
        return change();
    }

    public JobChange workerReleased(String workerId) {
        boolean ours = job.workerStatus() == WorkerStatus.WITHDRAWING
                || (job.workerStatus() == WorkerStatus.RELEASING && workerId.equals(job.workerId()));
        if (ours) {
            job = job.withWorkerStatus(WorkerStatus.GONE);
            jobEvent(JobWorkerReleased.newBuilder().setJobId(job.jobId()).setWorkerId(workerId).build());
            releaseNextResourceOrCleanUp();
        }
        return change();
    }

    public JobChange workerLost(int attempt, String workerId, String why) {
        if (attempt != job.attempt() || job.workerStatus() == WorkerStatus.GONE
                || job.workerStatus() == WorkerStatus.NONE) {
            return change();
        }
        job = job.withWorkerStatus(WorkerStatus.GONE);
        if (job.stepRunning()) {
            job = job.withStep(job.stepIndex(), false);
            stepFinished(false, null, null, false, 0, nodeLost(why));
        }
        if (!job.stage().beforeOutcome()) {
            if (!job.finished()) {
                finish();
            } else {
                releaseNextResourceOrCleanUp();
            }
        } else if (job.attempt() <= job.spec().getRetriesOnNodeLoss()) {
            job = job.nextAttempt();
            jobEvent(JobRetrying.newBuilder().setJobId(job.jobId()).setAttempt(job.attempt())
                    .setReason(nodeLost(why)).build());
            demandWorker();
        } else {
            decideOutcome(JobOutcome.FAILED, nodeLost(why), null, null, null);
        }
        return change();
    }

    /** The reason a job gives for a lost node; the factory's own wording may already say node-lost. */
    private static String nodeLost(String why) {
        return why.startsWith(NODE_LOST) ? why : NODE_LOST + why;
    }

    // ---- steps -----------------------------------------------------------------------------------------------

    private void launchStep(int index) {
        job = job.withStep(index, true);
        send(new Outgoing.ToNode(job.nodeId(),
                StepLaunches.launchOf(job.currentStep(), job.nodeId(), job.workerId(), job.jobId())));
    }

    private boolean isCurrentProcess(String workerId, String process) {
        return job.stepRunning() && workerId.equals(job.workerId()) && process.equals(job.currentStep().getName());
    }

    public JobChange processStarted(String nodeId, String workerId, String process, Integer pid, Instant startedAt) {
        assignOnFirstStepReport(nodeId, workerId, process);
        if (!isCurrentProcess(workerId, process)) {
            return change();
        }
        if (job.runDeadline() == null && job.spec().getRunTimeoutMillis() != null) {
            job = job.withDeadlines(job.queueDeadline(), startedAt.plusMillis(job.spec().getRunTimeoutMillis()));
        }
        jobEvent(StepStarted.newBuilder().setJobId(job.jobId()).setStepIndex(job.stepIndex())
                .setStepName(process).setWorkerId(workerId).setPid(pid).setStartedAt(startedAt)
                .setAttempt(job.attempt()).build());
        return change();
    }

    public JobChange processExited(String nodeId, String workerId, String process, Integer code, String signal,
                                   boolean oomKilled, long durationMillis) {
        assignOnFirstStepReport(nodeId, workerId, process);
        if (!isCurrentProcess(workerId, process)) {
            return change();
        }
        job = job.withStep(job.stepIndex(), false);
        boolean succeeded = code != null && code == 0 && signal == null && !oomKilled;
        String why = succeeded ? null : exitReason(process, code, signal, oomKilled);
        stepFinished(succeeded, code, signal, oomKilled, durationMillis, why);
        if (!job.stage().beforeOutcome()) {
            finish();
        } else if (!succeeded) {
            decideOutcome(JobOutcome.FAILED, why, process, code, null);
        } else if (job.stepIndex() + 1 < job.spec().getSteps().size()) {
            launchStep(job.stepIndex() + 1);
        } else {
            decideOutcome(JobOutcome.SUCCEEDED, null, null, null, null);
        }
        return change();
    }

    /**
     * The step did not run (launch failed, or lost by its node). Before WorkerAssigned this too implies the
     * assignment: the node reports a launch failure only for a worker it prepared; a launch in a worker it could not
     * prepare is rejected (CommandRejected, which job-service ignores) and the factory's WorkerFailed fails the job.
     */
    public JobChange processFailedToRun(String nodeId, String workerId, String process, String why) {
        assignOnFirstStepReport(nodeId, workerId, process);
        if (!isCurrentProcess(workerId, process)) {
            return change();
        }
        job = job.withStep(job.stepIndex(), false);
        String reason = "step '" + process + "' did not run: " + why;
        stepFinished(false, null, null, false, 0, reason);
        if (job.stage().beforeOutcome()) {
            decideOutcome(JobOutcome.FAILED, reason, process, null, null);
        } else {
            finish();
        }
        return change();
    }

    private static String exitReason(String process, Integer code, String signal, boolean oomKilled) {
        if (oomKilled) {
            return "step '" + process + "' was killed: out of memory";
        }
        if (signal != null) {
            return "step '" + process + "' was killed by signal " + signal;
        }
        return "step '" + process + "' exited with code " + code;
    }

    private void stepFinished(boolean succeeded, Integer code, String signal, boolean oomKilled, long durationMillis,
                              String why) {
        jobEvent(StepFinished.newBuilder().setJobId(job.jobId()).setStepIndex(job.stepIndex())
                .setStepName(job.currentStep().getName()).setSucceeded(succeeded).setExitCode(code)
                .setSignal(signal).setOomKilled(oomKilled).setDurationMillis(durationMillis).setReason(why)
                .setAttempt(job.attempt()).build());
    }

    // ---- cancellation and timeouts ---------------------------------------------------------------------------

    /**
     * Cancels the job for {@code requestedBy}, whose identity intake has established: its owner, or an owner holding
     * privilege {@value Requester#ADMIN} ({@code requesterIsAdmin}); anyone else's request is refused and changes
     * nothing.
     */
    public JobChange cancel(String requestedBy, String why, boolean requesterIsAdmin) {
        String owner = job.spec().getOwner();
        if (!owner.equals(requestedBy) && !requesterIsAdmin) {
            jobEvent(refused(job.jobId(), "cancel", requestedBy, "'" + requestedBy + "' may not cancel a job of '"
                    + owner + "': only its owner or an owner holding privilege '" + Requester.ADMIN + "' may"));
            return change();
        }
        if (job.stage().beforeOutcome()) {
            String reason = "cancelled by " + requestedBy + (why == null || why.isBlank() ? "" : ": " + why);
            decideOutcome(JobOutcome.CANCELLED, reason, null, null, requestedBy);
        }
        return change();
    }

    /** Ends a job whose queue or run deadline has passed at {@code now}. */
    public JobChange deadlinesPassed(Instant now) {
        if (!job.stage().beforeOutcome()) {
            return change();
        }
        if (job.queueDeadline() != null && !now.isBefore(job.queueDeadline()) && job.stage().waitingForWorker()) {
            decideOutcome(JobOutcome.TIMED_OUT, "queue-timeout: no worker within "
                    + job.spec().getQueueTimeoutMillis() + " ms", null, null, null);
        } else if (job.runDeadline() != null && !now.isBefore(job.runDeadline()) && job.stage() == Stage.RUNNING) {
            decideOutcome(JobOutcome.TIMED_OUT, "run-timeout: still running after "
                    + job.spec().getRunTimeoutMillis() + " ms", job.stepRunning() ? job.currentStep().getName()
                    : null, null, null);
        }
        return change();
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    /** Fixes the outcome; a running step is stopped first, everything else is finished and released at once. */
    private void decideOutcome(JobOutcome outcome, String reason, String failedStep, Integer exitCode,
                               String requestedBy) {
        job.typeBeingAcquired().ifPresent(type -> send(new Outgoing.ToResourceWell(type,
                ResourceDemandWithdrawn.newBuilder().setJobId(job.jobId()).setResourceType(type)
                        .setReason(reason).build())));
        job = job.moveTo(Stage.CLOSING).withOutcome(outcome, reason, failedStep, exitCode);
        if (job.stepRunning()) {
            StepSpec step = job.currentStep();
            jobEvent(JobStopping.newBuilder().setJobId(job.jobId()).setOutcome(outcome).setReason(reason)
                    .setRequestedBy(requestedBy).build());
            send(new Outgoing.ToNode(job.nodeId(), StopProcess.newBuilder().setNodeId(job.nodeId())
                    .setWorkerId(job.workerId()).setJobId(job.jobId()).setProcess(step.getName())
                    .setSignal(step.getShutdownSignal()).setGraceMillis(step.getStopGraceMillis())
                    .setReason(reason).build()));
        } else {
            finish();
        }
    }

    private void finish() {
        job = job.withFinished();
        jobEvent(JobFinished.newBuilder().setJobId(job.jobId()).setOutcome(job.outcome()).setReason(job.reason())
                .setFailedStep(job.failedStep()).setExitCode(job.exitCode()).build());
        releaseWorker();
    }

    private void releaseWorker() {
        String target = job.spec().getTarget();
        switch (job.workerStatus()) {
            case NONE, GONE -> releaseNextResourceOrCleanUp();
            case DEMANDED -> {
                job = job.withWorkerStatus(WorkerStatus.WITHDRAWING);
                send(new Outgoing.ToWorkerFactory(target, WorkerDemandWithdrawn.newBuilder().setJobId(job.jobId())
                        .setAttempt(job.attempt()).setTarget(target).setReason(job.reason()).build()));
            }
            case PLACED, ASSIGNED -> {
                job = job.withWorkerStatus(WorkerStatus.RELEASING);
                send(new Outgoing.ToWorkerFactory(target, WorkerReleaseRequested.newBuilder().setJobId(job.jobId())
                        .setTarget(target).setWorkerId(job.workerId()).build()));
            }
            case RELEASING, WITHDRAWING -> {
                // The factory's answer will continue the release.
            }
        }
    }

    private void releaseNextResourceOrCleanUp() {
        if (job.stage() != Stage.CLOSING || !job.finished() || job.workerStatus() != WorkerStatus.GONE
                && job.workerStatus() != WorkerStatus.NONE) {
            return;
        }
        if (job.held().stream().anyMatch(h -> h.release() == HeldResource.Release.RELEASING)) {
            return;
        }
        for (int i = job.held().size() - 1; i >= 0; i--) {
            HeldResource resource = job.held().get(i);
            if (resource.release() == HeldResource.Release.HELD) {
                job = job.withHeld(replaced(job.held(), i, resource.with(HeldResource.Release.RELEASING)));
                send(new Outgoing.ToResourceWell(resource.type(), ResourceReleaseRequested.newBuilder()
                        .setJobId(job.jobId()).setResourceType(resource.type())
                        .setResourceId(resource.resourceId()).build()));
                return;
            }
        }
        job = job.moveTo(Stage.CLEANED_UP);
        jobEvent(JobCleanedUp.newBuilder().setJobId(job.jobId()).setOutcome(job.outcome()).build());
    }

    private static List<HeldResource> replaced(List<HeldResource> held, int index, HeldResource resource) {
        List<HeldResource> copy = new ArrayList<>(held);
        copy.set(index, resource);
        return copy;
    }

    // ---- output ----------------------------------------------------------------------------------------------

    private void jobEvent(SpecificRecord payload) {
        send(new Outgoing.JobEvent(payload));
    }

    private void send(Outgoing message) {
        outgoing.add(message);
    }
}
