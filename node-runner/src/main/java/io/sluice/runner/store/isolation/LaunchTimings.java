package io.sluice.runner.store.isolation;

/**
 * When the steps of one launch happened (System.nanoTime), so that the benchmark can tell the runner's own time from
 * the time runc and the process take, and where the runner's own time goes.
 */
final class LaunchTimings {

    volatile long launchCalled;
    volatile long stateDirCreated;
    volatile long bundleWritten;
    volatile long shimSpawning;
    volatile long shimExited;
    volatile long finishing;
    volatile long exitCollected;
    volatile long exitCompleting;

    /** Time spent in the runner before the shim is spawned and after it exited, in nanoseconds. */
    long ownNanos() {
        return beforeSpawnNanos() + afterExitNanos();
    }

    long beforeSpawnNanos() {
        return shimSpawning - launchCalled;
    }

    long afterExitNanos() {
        return exitCompleting - shimExited;
    }
}
