package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * runc on a cgroup v2 (unified) host for real: the OOM kill from memory.events, the peak from memory.peak, nothing
 * left after a stop, the job's cgroups removed. Runs only where /sys/fs/cgroup/cgroup.controllers lists memory and
 * pids; on a v1 or hybrid host (the machine this was written on) the same checks run through v1 in
 * {@code RuncLimitsTest}, {@code RuncProbeTest} and the rest, and v2 against recorded trees in {@code CgroupV2Test}.
 */
@EnabledIf(value = "onCgroupV2", disabledReason = "this host's cgroups are v1 or hybrid: "
        + "/sys/fs/cgroup/cgroup.controllers does not list memory and pids, so runc cannot be run on cgroup v2 here")
class RuncOnCgroupV2Test extends RuncTestSupport {

    static boolean onCgroupV2() {
        try {
            List<String> controllers = List.of(Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                    .strip().split("\\s+"));
            return controllers.contains("memory") && controllers.contains("pids");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void the_host_is_told_v2_and_an_oom_kill_is_read_from_memory_events() throws Exception {
        assertThat(isolation.cgroupHierarchy()).isEqualTo("v2");
        TestJob job = job("job-v2-oom");
        ProcessSpec spec = job.process("hog", "/bin/sh", "-c", "head -c 200M /dev/zero | tail")
                .limits(new ProcessLimits(32L << 20, null, null, null)).build();

        ProcessExit exit = isolation.launch(spec, OutputListener.DISCARD).exit().get(60, TimeUnit.SECONDS);

        assertThat(exit.oomKilled()).isTrue();
        assertThat(exit.exitCode()).isEqualTo(137);
        if (Files.exists(Path.of("/sys/fs/cgroup/" + settings.cgroupParent() + "/memory.peak"))) {
            assertThat(exit.peakMemoryBytes()).isLessThanOrEqualTo(32L << 20).isGreaterThan(16L << 20);
        } else {
            assertThat(exit.peakMemoryBytes()).as("Linux before 5.19 has no memory.peak").isNull();
        }
    }

    @Test
    void a_stopped_process_leaves_nothing_in_its_cgroup() throws Exception {
        TestJob job = job("job-v2-stop");
        RunningProcess process = isolation.launch(job.process("sleeper", "/bin/sh", "-c",
                "sleep 600 & sleep 600 & wait").limits(new ProcessLimits(64L << 20, 20, null, 512)).build(),
                OutputListener.DISCARD);
        String cgroup = isolation.cgroupPathOf(process.key());
        await().atMost(Duration.ofSeconds(20)).until(() -> JobCgroups.host().pidsCurrent(cgroup).orElse(0) >= 3);

        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(exit.lost()).isFalse();
        assertNoProcessLeft(process.key());
    }
}
