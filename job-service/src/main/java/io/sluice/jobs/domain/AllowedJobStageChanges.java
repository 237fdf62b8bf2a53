package io.sluice.jobs.domain;

/** The whole transition table of a job's stages in one place. */
public final class AllowedJobStageChanges {

    private AllowedJobStageChanges() {
    }

    public static boolean allows(Stage from, Stage to) {
        return switch (from) {
            case QUEUED -> to == Stage.ACQUIRING || to == Stage.WAITING_FOR_WORKER || to == Stage.CLOSING;
            // Staying ACQUIRING is the next resource type in acquisition order.
            case ACQUIRING -> to == Stage.ACQUIRING || to == Stage.WAITING_FOR_WORKER || to == Stage.CLOSING;
            // A lost node's retry demands a new worker, also before the first was placed; a report of step 0 may
            // come before the placement (the factory launches it with the placement) and implies the assignment.
            case WAITING_FOR_WORKER -> to == Stage.WAITING_FOR_WORKER || to == Stage.PREPARING
                    || to == Stage.RUNNING || to == Stage.CLOSING;
            case PREPARING, RUNNING -> to == Stage.RUNNING || to == Stage.WAITING_FOR_WORKER || to == Stage.CLOSING;
            case CLOSING -> to == Stage.CLEANED_UP;
            case CLEANED_UP, REJECTED -> false;
        };
    }

    static void check(String jobId, Stage from, Stage to) {
        if (!allows(from, to)) {
            throw new IllegalJobStageChangeException(jobId, from, to);
        }
    }
}
