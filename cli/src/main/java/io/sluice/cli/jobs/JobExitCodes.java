package io.sluice.cli.jobs;

import io.sluice.events.JobOutcome;

/** The exit codes of the job commands, so that a script can tell a failed job from a broker it could not reach. */
public final class JobExitCodes {

    /** The job succeeded, or the request was sent. */
    public static final int SUCCEEDED = 0;
    /** The job ended FAILED, TIMED_OUT or CANCELLED. */
    public static final int JOB_DID_NOT_SUCCEED = 1;
    /** The job was rejected at intake, or the command line (or job file) is wrong. */
    public static final int REJECTED_OR_USAGE = 2;
    /** No answer: the broker is unreachable, the topics are missing, or --timeout passed before the job ended. */
    public static final int NO_ANSWER = 3;
    /** The broker refused: the login failed, or the user may not read or write a topic the command needs. */
    public static final int REFUSED = 4;

    private JobExitCodes() {
    }

    public static int of(JobOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED, TIMED_OUT, CANCELLED -> JOB_DID_NOT_SUCCEED;
        };
    }
}
