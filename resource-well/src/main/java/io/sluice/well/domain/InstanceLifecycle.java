package io.sluice.well.domain;

import java.time.Instant;
import java.util.List;

/** How an instance answers its provisioner's outcome, its job's requests and the clock: its next state and the events owed. */
public final class InstanceLifecycle {

    public static final String RELEASED_BY_JOB = "released by its job";
    public static final String DEMAND_WITHDRAWN = "demand withdrawn";

    private InstanceLifecycle() {
    }

    /** The provisioner made the instance. */
    public static InstanceChange provisioned(ResourceInstance instance) {
        if (instance.state() != InstanceState.PROVISIONING) {
            // Withdrawn while it was being made: the release that is under way removes it.
            return InstanceChange.none(instance);
        }
        ResourceInstance granted = instance.granted();
        return new InstanceChange(instance, granted, List.of(new WellEvent.Granted(granted)));
    }

    /** The provisioner could not make the instance (and removed what it had made): the job fails with the reason. */
    public static InstanceChange provisionFailed(ResourceInstance instance, String reason) {
        if (instance.state() != InstanceState.PROVISIONING) {
            return InstanceChange.none(instance);
        }
        ResourceInstance failed = instance.failed(reason);
        return new InstanceChange(instance, failed, List.of(new WellEvent.ProvisionFailed(failed, reason)));
    }

    /** The job is done with the instance. */
    public static InstanceChange releaseRequested(ResourceInstance instance) {
        return switch (instance.state()) {
            case PROVISIONING, GRANTED -> releasing(instance, RELEASED_BY_JOB);
            // A release is under way already: its end answers this request too.
            case RELEASING, FAILED -> InstanceChange.none(instance);
            // Nothing is left: answer at once, so the job's clean-up never waits for a gone instance.
            case RELEASED -> new InstanceChange(instance, instance, List.of(new WellEvent.Released(instance)));
        };
    }

    /** The job withdrew its demand (cancelled, timed out) after the instance was admitted. */
    public static InstanceChange withdrawn(ResourceInstance instance, String why) {
        return switch (instance.state()) {
            case PROVISIONING, GRANTED -> releasing(instance, why == null || why.isBlank() ? DEMAND_WITHDRAWN
                    : DEMAND_WITHDRAWN + ": " + why);
            case RELEASING, RELEASED, FAILED -> InstanceChange.none(instance);
        };
    }

    /** A granted instance past its lifetime at {@code now} is released by force, with the reason its job sees. */
    public static InstanceChange expiredAt(ResourceInstance instance, Instant now) {
        if (instance.state() != InstanceState.GRANTED || now.isBefore(instance.expiresAt())) {
            return InstanceChange.none(instance);
        }
        return releasing(instance, "expired: its lifetime ended at " + instance.expiresAt());
    }

    /** The provisioner removed the instance. */
    public static InstanceChange released(ResourceInstance instance) {
        if (instance.state() != InstanceState.RELEASING) {
            return InstanceChange.none(instance);
        }
        ResourceInstance released = instance.released();
        return new InstanceChange(instance, released, List.of(new WellEvent.Released(released)));
    }

    private static InstanceChange releasing(ResourceInstance instance, String reason) {
        return new InstanceChange(instance, instance.releasing(reason), List.of());
    }
}
