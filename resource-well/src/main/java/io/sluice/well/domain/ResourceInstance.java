package io.sluice.well.domain;

import java.time.Instant;

/**
 * One instance of a resource type, made for one job's demand: which slot of its type's capacity it holds, where it
 * is in its life, when it expires, and why it is being released (null until it is).
 */
public record ResourceInstance(String instanceId, String type, String jobId, String owner, int slot,
                               InstanceState state, Instant admittedAt, Instant expiresAt, String releaseReason) {

    /** A demand admitted within capacity at {@code now}, to be made by its provisioner. */
    static ResourceInstance admitted(QueuedDemand demand, ResourceType type, int slot, Instant now) {
        return new ResourceInstance(InstanceIds.of(demand.jobId(), type.name()), type.name(), demand.jobId(),
                demand.owner(), slot, InstanceState.PROVISIONING, now, now.plus(type.maxLifetime()), null);
    }

    ResourceInstance granted() {
        return moveTo(InstanceState.GRANTED, releaseReason);
    }

    ResourceInstance failed(String reason) {
        return moveTo(InstanceState.FAILED, reason);
    }

    ResourceInstance releasing(String reason) {
        return moveTo(InstanceState.RELEASING, reason);
    }

    ResourceInstance released() {
        return moveTo(InstanceState.RELEASED, releaseReason);
    }

    private ResourceInstance moveTo(InstanceState next, String reason) {
        AllowedInstanceStateChanges.check(instanceId, state, next);
        return new ResourceInstance(instanceId, type, jobId, owner, slot, next, admittedAt, expiresAt, reason);
    }
}
