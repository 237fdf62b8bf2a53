package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessLimits;
import java.time.Duration;

/**
 * Node-wide settings of the isolation layer.
 *
 * @param uid             user the job processes run as (runc only); their writable directories are given to it
 * @param gid             group the job processes run as (runc only)
 * @param defaultLimits   limits for fields a spec leaves null; a null here means "no limit"
 * @param defaultStopGrace grace after the shutdown signal when a spec gives none
 * @param quitGrace       grace after SIGQUIT before everything is killed
 * @param cgroupParent    the cgroup under which each job gets {@code <cgroupParent>/<jobId>/<container>}
 */
public record NodeSettings(int uid, int gid, ProcessLimits defaultLimits, Duration defaultStopGrace,
                           Duration quitGrace, String cgroupParent) {

    public static final int NOBODY = 65534;

    /** nobody:nogroup, no memory limit, 1024 pids, 1024 open files, 1024 cpu shares, 20 s then 2 s, cgroup "sluice". */
    public static NodeSettings defaults() {
        return new NodeSettings(NOBODY, NOBODY, new ProcessLimits(null, 1024, 1024, 1024),
                Duration.ofSeconds(20), Duration.ofSeconds(2), "sluice");
    }

    public NodeSettings withCgroupParent(String parent) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, quitGrace, parent);
    }

    public NodeSettings withQuitGrace(Duration grace) {
        return new NodeSettings(uid, gid, defaultLimits, defaultStopGrace, grace, cgroupParent);
    }
}
