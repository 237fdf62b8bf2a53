package io.sluice.factory.domain;

/** Worker ids are derived from the job and the attempt ({@code <job id>.<attempt>}), so a re-delivered demand names the same worker. */
public final class WorkerIds {

    private WorkerIds() {
    }

    public static String of(String jobId, int attempt) {
        return jobId + "." + attempt;
    }

    /** The job of a worker id made by {@link #of}; the id itself when it was not made so. */
    public static String jobIdOf(String workerId) {
        int dot = workerId.lastIndexOf('.');
        if (dot <= 0 || dot == workerId.length() - 1) {
            return workerId;
        }
        return workerId.substring(dot + 1).chars().allMatch(Character::isDigit) ? workerId.substring(0, dot) : workerId;
    }
}
