package io.sluice.factory.domain;

/** A demand for a worker waiting for a slot: the job and attempt, the canonical target, its place in the queue. */
public record QueuedDemand(String jobId, int attempt, String target, long seq) {

    public String workerId() {
        return WorkerIds.of(jobId, attempt);
    }
}
