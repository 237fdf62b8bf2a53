package io.sluice.jobs.domain;

/** A job was asked to move between two stages its life cycle does not connect. */
public final class IllegalJobStageChangeException extends IllegalStateException {

    IllegalJobStageChangeException(String jobId, Stage from, Stage to) {
        super("job " + jobId + " cannot go from " + from + " to " + to);
    }
}
