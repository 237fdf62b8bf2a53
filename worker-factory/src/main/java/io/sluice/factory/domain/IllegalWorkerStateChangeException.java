package io.sluice.factory.domain;

/** A worker was asked to move between two states the life cycle does not connect. */
public final class IllegalWorkerStateChangeException extends IllegalStateException {

    private final WorkerState from;
    private final WorkerState to;

    public IllegalWorkerStateChangeException(String workerId, WorkerState from, WorkerState to) {
        super("worker " + workerId + " cannot go from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public WorkerState from() {
        return from;
    }

    public WorkerState to() {
        return to;
    }
}
