package io.sluice.jobs.store.projection;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** A job as the projection shows it: state, milestones, steps and the resources it holds. */
@Serdeable
public record JobView(
        String jobId,
        @Nullable String owner,
        @Nullable String name,
        @Nullable String target,
        String state,
        int attempt,
        @Nullable Integer currentStepIndex,
        @Nullable String currentStep,
        @Nullable String workerId,
        @Nullable String nodeId,
        @Nullable String outcome,
        @Nullable String reason,
        Milestones milestones,
        List<StepView> steps,
        List<ResourceView> resourcesHeld,
        long version) {

    /** This job with {@code steps} instead of its own. */
    JobView withSteps(List<StepView> steps) {
        return new JobView(jobId, owner, name, target, state, attempt, currentStepIndex, currentStep, workerId, nodeId,
                outcome, reason, milestones, steps, resourcesHeld, version);
    }

    /** When the job reached each milestone; null for one it has not reached. */
    @Serdeable
    public record Milestones(Instant submitted, @Nullable Instant queued, @Nullable Instant workerAssigned,
                             @Nullable Instant started, @Nullable Instant stopRequested, @Nullable Instant finished,
                             @Nullable Instant cleanedUp) {
    }

    /** One step and how it ended. */
    @Serdeable
    public record StepView(int index, String name, String state, int attempt, @Nullable Integer pid,
                           @Nullable Instant startedAt, @Nullable Long durationMillis, @Nullable Integer exitCode,
                           @Nullable String signal, boolean oomKilled, @Nullable String reason) {
    }

    /** A resource the job holds. */
    @Serdeable
    public record ResourceView(String type, String resourceId) {
    }
}
