package io.sluice.factory.domain;

/**
 * A worker the factory placed: whose it is, where it runs, where it is in its life, and whether the job is owed a
 * WorkerReleased once the node destroys it.
 */
public record Worker(String workerId, String jobId, int attempt, String target, String nodeId, WorkerState state,
                     boolean releaseOwed) {

    /** A worker just placed on {@code nodeId}, being prepared there. */
    public static Worker placed(Placement placement) {
        QueuedDemand demand = placement.demand();
        return new Worker(demand.workerId(), demand.jobId(), demand.attempt(), demand.target(), placement.nodeId(),
                WorkerState.PREPARING, false);
    }

    public Worker assigned() {
        return moveTo(WorkerState.ASSIGNED, releaseOwed);
    }

    /** Being destroyed; {@code owesRelease} when the job asked for it (release or withdrawal) and waits for the answer. */
    public Worker destroying(boolean owesRelease) {
        return moveTo(WorkerState.DESTROYING, releaseOwed || owesRelease);
    }

    public Worker destroyed() {
        return moveTo(WorkerState.DESTROYED, releaseOwed);
    }

    public Worker lost() {
        return moveTo(WorkerState.LOST, releaseOwed);
    }

    private Worker moveTo(WorkerState next, boolean owesRelease) {
        AllowedWorkerStateChanges.check(workerId, state, next);
        return new Worker(workerId, jobId, attempt, target, nodeId, next, owesRelease);
    }
}
