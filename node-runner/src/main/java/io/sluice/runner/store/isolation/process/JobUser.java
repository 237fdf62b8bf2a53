package io.sluice.runner.store.isolation.process;

/**
 * The user and group a node's job processes run as, to whom the runner gives what only the job may read; -1 for
 * both when they run as the runner's own user (isolation none).
 */
public record JobUser(int uid, int gid) {

    /** The runner's own user: nothing needs to change hands. */
    public static final JobUser RUNNER = new JobUser(-1, -1);

    /** Whether files must be given to another user than the runner's. */
    public boolean isAnother() {
        return uid >= 0;
    }
}
