package io.sluice.well.domain;

/** What the well tells job-service as a result of a decision; the publishing side encodes it. */
public sealed interface WellEvent {

    /** The instance was made and is its job's (the publisher adds its metadata and sealed secrets). */
    record Granted(ResourceInstance instance) implements WellEvent {
    }

    /** The instance could not be made; the job fails with {@code reason}. */
    record ProvisionFailed(ResourceInstance instance, String reason) implements WellEvent {
    }

    /** Nothing of the instance is left; {@code instance.releaseReason()} says why it went. */
    record Released(ResourceInstance instance) implements WellEvent {
    }
}
