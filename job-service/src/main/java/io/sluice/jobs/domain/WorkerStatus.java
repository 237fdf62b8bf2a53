package io.sluice.jobs.domain;

/** What the job knows of its worker: none asked for, demanded, placed and preparing, assigned, being let go, gone. */
public enum WorkerStatus {
    NONE,
    DEMANDED,
    PLACED,
    ASSIGNED,
    /** A release was requested; {@code WorkerReleased} ends it. */
    RELEASING,
    /** The demand was withdrawn; the factory answers {@code WorkerFailed} (never placed) or {@code WorkerReleased}. */
    WITHDRAWING,
    GONE;

    /** True while a worker may exist that the job must still give back. */
    public boolean mayHoldWorker() {
        return this == DEMANDED || this == PLACED || this == ASSIGNED;
    }
}
