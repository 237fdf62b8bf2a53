package io.sluice.runner.domain;

import java.time.Duration;

/**
 * How a process ended.
 *
 * @param exitCode        the status the process's init (tini) exited with; 128+n when the process died of signal n.
 *                        Null when the exit could not be observed (the process was lost, e.g. across a host reboot)
 * @param signal          the signal's name without "SIG" ("KILL", "TERM", ...) when the status says the process
 *                        died of one, else null
 * @param oomKilled       a process of the container was killed by the kernel for exceeding the memory limit
 * @param duration        from launch to exit as observed by the node
 * @param peakMemoryBytes the cgroup's peak memory use, null where not measured
 */
public record ProcessExit(Integer exitCode, String signal, boolean oomKilled, Duration duration, Long peakMemoryBytes) {

    /** True when the exit status is unknown: the process is gone but nothing recorded how it ended. */
    public boolean lost() {
        return exitCode == null;
    }
}
