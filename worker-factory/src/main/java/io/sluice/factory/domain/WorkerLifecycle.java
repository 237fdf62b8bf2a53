package io.sluice.factory.domain;

import java.time.Instant;
import java.util.List;

/** How a placed worker answers what its node and its job say: its next state and the events that are owed. */
public final class WorkerLifecycle {

    public static final String DEMAND_WITHDRAWN = "demand withdrawn";
    static final String RELEASED = "released";

    private WorkerLifecycle() {
    }

    /** The node prepared the worker. */
    public static WorkerChange prepared(Worker worker) {
        if (worker.state() != WorkerState.PREPARING) {
            // Assigned already (a duplicate report), or being destroyed because the job no longer wants it.
            return WorkerChange.none(worker);
        }
        Worker assigned = worker.assigned();
        return new WorkerChange(worker, assigned, List.of(new FactoryEvent.Assigned(assigned)));
    }

    /** The node could not prepare the worker: the job fails with the node's reason, and the node cleans up. */
    public static WorkerChange prepareFailed(Worker worker, String reason) {
        if (worker.state() != WorkerState.PREPARING) {
            return WorkerChange.none(worker);
        }
        Worker destroying = worker.destroying(false);
        return new WorkerChange(worker, destroying, List.of(
                new FactoryEvent.Failed(worker.jobId(), worker.attempt(), worker.workerId(), worker.nodeId(), reason),
                destroy(worker, "prepare failed: " + reason)));
    }

    /** The job is done with the worker. */
    public static WorkerChange releaseRequested(Worker worker) {
        return switch (worker.state()) {
            case PREPARING, ASSIGNED -> destroyOwingRelease(worker, RELEASED);
            // A destroy is on its way already; the release is answered when it is done.
            case DESTROYING -> owingRelease(worker);
            // Nothing is left to destroy: answer at once, so the job's clean-up never waits for a gone worker.
            case DESTROYED, LOST -> new WorkerChange(worker, worker, List.of(new FactoryEvent.Released(worker)));
        };
    }

    /** The job withdrew its demand after the worker was placed. */
    public static WorkerChange withdrawn(Worker worker, String why) {
        return switch (worker.state()) {
            case PREPARING, ASSIGNED -> destroyOwingRelease(worker, why == null ? DEMAND_WITHDRAWN
                    : DEMAND_WITHDRAWN + ": " + why);
            case DESTROYING -> owingRelease(worker);
            case DESTROYED, LOST -> new WorkerChange(worker, worker, List.of(new FactoryEvent.Failed(worker.jobId(),
                    worker.attempt(), worker.workerId(), worker.nodeId(), DEMAND_WITHDRAWN)));
        };
    }

    /** The node reports the worker destroyed. */
    public static WorkerChange destroyed(Worker worker) {
        return switch (worker.state()) {
            case DESTROYING -> {
                Worker destroyed = worker.destroyed();
                yield new WorkerChange(worker, destroyed, worker.releaseOwed()
                        ? List.of(new FactoryEvent.Released(destroyed)) : List.of());
            }
            // The node destroyed a worker nobody asked it to destroy: to its job the worker is lost.
            case PREPARING, ASSIGNED -> {
                Worker destroyed = worker.destroyed();
                yield new WorkerChange(worker, destroyed, List.of(new FactoryEvent.Lost(destroyed, "node "
                        + worker.nodeId() + " destroyed worker " + worker.workerId() + " unasked", null)));
            }
            case DESTROYED, LOST -> WorkerChange.none(worker);
        };
    }

    /** The worker's node went silent: the worker is presumed gone with it. */
    public static WorkerChange nodeLost(Worker worker, String reason, Instant lastHeartbeatAt) {
        if (!worker.state().holdsSlot()) {
            return WorkerChange.none(worker);
        }
        Worker lost = worker.lost();
        return new WorkerChange(worker, lost, switch (worker.state()) {
            case PREPARING, ASSIGNED -> List.of(new FactoryEvent.Lost(lost, reason, lastHeartbeatAt));
            // The job is done with it and waits for its release: the worker is gone with the node, which answers it
            // (if the node comes back with it, reconciliation destroys it).
            case DESTROYING -> worker.releaseOwed() ? List.of(new FactoryEvent.Released(lost)) : List.of();
            // The job was already told this worker failed (its preparation did): no second word.
            case DESTROYED, LOST -> List.of();
        });
    }

    private static WorkerChange destroyOwingRelease(Worker worker, String reason) {
        return new WorkerChange(worker, worker.destroying(true), List.of(destroy(worker, reason)));
    }

    private static WorkerChange owingRelease(Worker worker) {
        return new WorkerChange(worker, worker.destroying(true), List.of());
    }

    private static FactoryEvent.Destroy destroy(Worker worker, String reason) {
        return new FactoryEvent.Destroy(worker.nodeId(), worker.workerId(), worker.jobId(), reason);
    }
}
