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
 * @param hiddenPaths     host paths a job may not see in its read-only view of the host (runc only): the node's own
 *                        configuration and state
 */
public record NodeSettings(int uid, int gid, ProcessLimits defaultLimits, Duration defaultStopGrace,
                           Duration quitGrace, String cgroupParent,
                           List<String> hiddenPaths) {

    /** Where an operator keeps Sluice's configuration on a host: never in a job's view of the host's /etc. */
    public static final List<String> DEFAULT_HIDDEN_PATHS = List.of("/etc/sluice");

    public NodeSettings {
        hiddenPaths = List.copyOf(hiddenPaths);
    }

    public static final int NOBODY = 65534;

    /**
     * nobody:nogroup, no memory limit, 1024 pids, 1024 open files, 1024 cpu shares, 20 s then 2 s, cgroup "sluice",
     * /etc/sluice hidden.
     */
    public static NodeSettings defaults() {
        return new NodeSettings(NOBODY, NOBODY, new ProcessLimits(null, 1024, 1024, 1024),
                Duration.ofSeconds(20), Duration.ofSeconds(2), "sluice", DEFAULT_HIDDEN_PATHS);
    }

    public NodeSettings withCgroupParent(String parent) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, quitGrace, parent, hiddenPaths);
    }

    public NodeSettings withQuitGrace(Duration grace) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, grace, cgroupParent, hiddenPaths);
    }

    public NodeSettings withHiddenPaths(List<String> paths) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, quitGrace, cgroupParent, paths);
    }
}
