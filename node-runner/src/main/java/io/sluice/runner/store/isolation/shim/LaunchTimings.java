package io.sluice.runner.store.isolation.shim;

/**
 * When the steps of one launch happened (System.nanoTime), so that the benchmark can tell the runner's own time from
 * the time runc and the process take, and where the runner's own time goes.
 */
public final class LaunchTimings {

    public volatile long launchCalled;
    public volatile long stateDirCreated;
    public volatile long bundleWritten;
    public volatile long shimSpawning;
    public volatile long shimExited;
    public volatile long finishing;
    public volatile long exitCollected;
    public volatile long exitCompleting;

    /** Time spent in the runner before the shim is spawned and after it exited, in nanoseconds. */
    public long ownNanos() {
        return beforeSpawnNanos() + afterExitNanos();
    }

    public long beforeSpawnNanos() {
        return shimSpawning - launchCalled;
    }

    public long afterExitNanos() {
        return exitCompleting - shimExited;
    }
}
