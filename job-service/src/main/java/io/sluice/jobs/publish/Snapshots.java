package io.sluice.jobs.publish;

import io.sluice.jobs.store.projection.JobView;
import io.sluice.events.JobOutcome;
import io.sluice.events.job.HeldResource;
import io.sluice.events.job.JobSnapshot;
import io.sluice.events.job.JobState;
import io.sluice.events.job.StepSnapshot;
import io.sluice.events.job.StepState;

/** Turns a projected job into the {@code JobSnapshot} of the compacted {@code sluice.job.state} topic. */
public final class Snapshots {

    private Snapshots() {
    }

    public static JobSnapshot of(JobView job) {
        return JobSnapshot.newBuilder()
                .setJobId(job.jobId())
                .setVersion(job.version())
                .setOwner(job.owner())
                .setName(job.name())
                .setTarget(job.target())
                .setState(JobState.valueOf(job.state()))
                .setAttempt(job.attempt())
                .setSubmittedAt(job.milestones().submitted())
                .setQueuedAt(job.milestones().queued())
                .setWorkerAssignedAt(job.milestones().workerAssigned())
                .setStartedAt(job.milestones().started())
                .setStopRequestedAt(job.milestones().stopRequested())
                .setFinishedAt(job.milestones().finished())
                .setCleanedUpAt(job.milestones().cleanedUp())
                .setCurrentStepIndex(job.currentStepIndex())
                .setCurrentStep(job.currentStep())
                .setSteps(job.steps().stream().map(step -> StepSnapshot.newBuilder()
                        .setName(step.name())
                        .setState(StepState.valueOf(step.state()))
                        .setDurationMillis(step.durationMillis())
                        .setExitCode(step.exitCode())
                        .setSignal(step.signal())
                        .setOomKilled(step.oomKilled())
                        .build()).toList())
                .setResourcesHeld(job.resourcesHeld().stream().map(resource -> HeldResource.newBuilder()
                        .setType(resource.type()).setResourceId(resource.resourceId()).build()).toList())
                .setWorkerId(job.workerId())
                .setNodeId(job.nodeId())
                .setOutcome(job.outcome() == null ? null : JobOutcome.valueOf(job.outcome()))
                .setReason(job.reason())
                .build();
    }
}
