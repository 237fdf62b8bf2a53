package io.sluice.jobs.domain;

/** A job was asked to move between two stages its life cycle does not connect. */
public final class IllegalJobStageChangeException extends IllegalStateException {

    private final Stage from;
    private final Stage to;

    public IllegalJobStageChangeException(String jobId, Stage from, Stage to) {
        super("job " + jobId + " cannot go from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public Stage from() {
        return from;
    }

    public Stage to() {
        return to;
    }
}
