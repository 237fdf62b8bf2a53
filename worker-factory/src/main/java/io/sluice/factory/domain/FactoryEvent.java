package io.sluice.factory.domain;

import java.time.Instant;

/** What the factory tells job-service or a node runner as a result of a decision; the publishing side encodes it. */
public sealed interface FactoryEvent {

    /** The worker was placed and its node prepares it (the PrepareWorker command goes with it). */
    record Preparing(Worker worker) implements FactoryEvent {
    }

    /** The worker is prepared; the job may run on it. */
    record Assigned(Worker worker) implements FactoryEvent {
    }

    /** The job gets no worker for this demand; worker and node are null when none was placed. */
    record Failed(String jobId, int attempt, String workerId, String nodeId, String reason) implements FactoryEvent {
    }

    /** The worker's node went silent (or dropped the worker). */
    record Lost(Worker worker, String reason, Instant lastHeartbeatAt) implements FactoryEvent {
    }

    /** The worker is destroyed and its slot free. */
    record Released(Worker worker) implements FactoryEvent {
    }

    /** A node is told to destroy a worker. */
    record Destroy(String nodeId, String workerId, String jobId, String reason) implements FactoryEvent {
    }
}
