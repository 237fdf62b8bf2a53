package io.sluice.factory.domain;

/** Where a placed worker is in its life; the first three hold a slot of its node. */
public enum WorkerState {
    /** Placed on a node, which prepares it. */
    PREPARING,
    /** Prepared: the job runs its processes on it. */
    ASSIGNED,
    /** The node was told to destroy it and has not said it did. */
    DESTROYING,
    /** The node destroyed it. */
    DESTROYED,
    /** Its node went silent; the worker is presumed gone. */
    LOST;

    public boolean holdsSlot() {
        return this == PREPARING || this == ASSIGNED || this == DESTROYING;
    }
}
