package io.sluice.jobs.store.projection;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A job as `GET /jobs` lists it: its state, place and milestones, how many steps it has but not the steps. */
@Serdeable
public record JobSummary(
        String jobId,
        @Nullable String owner,
        @Nullable String name,
        @Nullable String target,
        String state,
        int attempt,
        int stepCount,
        @Nullable Integer currentStepIndex,
        @Nullable String currentStep,
        @Nullable String workerId,
        @Nullable String nodeId,
        @Nullable String outcome,
        @Nullable String reason,
        JobView.Milestones milestones) {
}
