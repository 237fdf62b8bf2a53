package io.sluice.runner.domain;

/**
 * Resource limits of one process; a null field takes the node's default (the isolation's
 * {@code NodeSettings.defaultLimits()}).
 *
 * @param memoryBytes cgroup memory limit (swap is capped at the same value, so the limit is real)
 * @param pids        cgroup pids limit: processes and threads, tini included
 * @param openFiles   RLIMIT_NOFILE, soft and hard
 * @param cpuShares   cgroup v1 cpu.shares (1024 is one "normal" share; runc turns it into cpu.weight on cgroup v2)
 */
public record ProcessLimits(Long memoryBytes, Integer pids, Integer openFiles, Integer cpuShares) {

    /** No limit set: every field takes the node's default. */
    public static final ProcessLimits NODE_DEFAULTS = new ProcessLimits(null, null, null, null);

    /** These limits with every null field taken from {@code defaults}. */
    public ProcessLimits orElse(ProcessLimits defaults) {
        return new ProcessLimits(
                memoryBytes != null ? memoryBytes : defaults.memoryBytes(),
                pids != null ? pids : defaults.pids(),
                openFiles != null ? openFiles : defaults.openFiles(),
                cpuShares != null ? cpuShares : defaults.cpuShares());
    }
}
