package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessLimits;
import java.time.Duration;
import java.util.List;

/**
 * Node-wide settings of the isolation layer.
 *
 * @param uid             user the job processes run as (runc only); their writable directories are given to it
 * @param gid             group the job processes run as (runc only)
 * @param defaultLimits   limits for fields a spec leaves null; a null here means "no limit"
 * @param defaultStopGrace grace after the shutdown signal when a spec gives none
 * @param quitGrace       grace after SIGQUIT before everything is killed
 * @param cgroupParent    the cgroup under which each job gets {@code <cgroupParent>/<jobId>/<container>}
 * @param logQuotaBytes   the size of each job's log directory (runc only: a tmpfs of that size, see
 *                        {@link JobLogDirectory}); 0 for none, a plain directory on the node's disk
 * @param hiddenPaths     host paths a job may not see in its read-only view of the host (runc only): the node's own
 *                        configuration and state
 */
public record NodeSettings(int uid, int gid, ProcessLimits defaultLimits, Duration defaultStopGrace,
                           Duration quitGrace, String cgroupParent, long logQuotaBytes, List<String> hiddenPaths) {

    /** The size of a job's log directory the node runner's configuration defaults to, 64 MiB. */
    public static final long DEFAULT_LOG_QUOTA_BYTES = 64L * 1024 * 1024;
    /** Where an operator keeps Sluice's configuration on a host: never in a job's view of the host's /etc. */
    public static final List<String> DEFAULT_HIDDEN_PATHS = List.of("/etc/sluice");
    /** The smallest log quota: a few pages, so that a process's two log files and a marker fit. */
    public static final long MIN_LOG_QUOTA_BYTES = 64 * 1024;

    public static final int NOBODY = 65534;

    public NodeSettings {
        hiddenPaths = List.copyOf(hiddenPaths);
    }

    /**
     * nobody:nogroup, no memory limit, 1024 pids, 1024 open files, 1024 cpu shares, 20 s then 2 s, cgroup "sluice",
     * no log quota (the runner's configuration sets one: {@link #DEFAULT_LOG_QUOTA_BYTES} unless told otherwise),
     * /etc/sluice hidden.
     */
    public static NodeSettings defaults() {
        return new NodeSettings(NOBODY, NOBODY, new ProcessLimits(null, 1024, 1024, 1024),
                Duration.ofSeconds(20), Duration.ofSeconds(2), "sluice", 0, DEFAULT_HIDDEN_PATHS);
    }

    public NodeSettings withCgroupParent(String parent) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, quitGrace, parent, logQuotaBytes,
                hiddenPaths);
    }

    public NodeSettings withQuitGrace(Duration grace) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, grace, cgroupParent, logQuotaBytes,
                hiddenPaths);
    }

    public NodeSettings withHiddenPaths(List<String> paths) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, quitGrace, cgroupParent, logQuotaBytes,
                paths);
    }

    public NodeSettings withLogQuotaBytes(long quota) {
        if (quota < MIN_LOG_QUOTA_BYTES) {
            throw new IllegalArgumentException("a job's log quota must be at least " + MIN_LOG_QUOTA_BYTES
                    + " bytes, not " + quota);
        }
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, quitGrace, cgroupParent, quota,
                hiddenPaths);
    }
}
