package io.sluice.well.domain;

/** Where a resource instance is in its life; the first three hold one of its type's capacity. */
public enum InstanceState {
    /** Admitted within capacity; its provisioner is creating it. */
    PROVISIONING,
    /** Created and handed to its job. */
    GRANTED,
    /** Its job is done with it (or it expired, or its demand was withdrawn): its provisioner is removing it. */
    RELEASING,
    /** Removed: nothing of it is left. */
    RELEASED,
    /** Its provisioning failed; whatever it had made was removed. */
    FAILED;

    public boolean holdsCapacity() {
        return this == PROVISIONING || this == GRANTED || this == RELEASING;
    }
}
