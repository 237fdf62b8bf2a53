package io.sluice.jobs.domain;

/** Where a job is in its saga; CLOSING covers stopping the step and releasing what the job held after its outcome. */
public enum Stage {
    QUEUED,
    ACQUIRING,
    WAITING_FOR_WORKER,
    PREPARING,
    RUNNING,
    CLOSING,
    CLEANED_UP,
    REJECTED;

    /** True while the job has no outcome yet, so cancellation and timeouts still apply. */
    public boolean beforeOutcome() {
        return this != CLOSING && this != CLEANED_UP && this != REJECTED;
    }

    /** True while the job still waits for a worker (what a queue timeout limits). */
    public boolean waitingForWorker() {
        return this == QUEUED || this == ACQUIRING || this == WAITING_FOR_WORKER || this == PREPARING;
    }
}
