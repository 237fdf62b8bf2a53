package io.sluice.factory.domain;

/** The whole transition table of a worker's life in one place. */
public final class AllowedWorkerStateChanges {

    private AllowedWorkerStateChanges() {
    }

    public static boolean allows(WorkerState from, WorkerState to) {
        return switch (from) {
            case PREPARING -> to == WorkerState.ASSIGNED || to == WorkerState.DESTROYING
                    || to == WorkerState.DESTROYED || to == WorkerState.LOST;
            case ASSIGNED -> to == WorkerState.DESTROYING || to == WorkerState.DESTROYED || to == WorkerState.LOST;
            // Staying DESTROYING is allowed: a second release or withdrawal only adds the answer it owes.
            case DESTROYING -> to == WorkerState.DESTROYING || to == WorkerState.DESTROYED || to == WorkerState.LOST;
            case DESTROYED, LOST -> false;
        };
    }

    public static void check(String workerId, WorkerState from, WorkerState to) {
        if (!allows(from, to)) {
            throw new IllegalWorkerStateChangeException(workerId, from, to);
        }
    }
}
