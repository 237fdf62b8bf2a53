package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.ProcFiles;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Memory and pids limits hold, and their breach is reported or contained. */
class RuncLimitsTest extends RuncTestSupport {

    @Test
    void an_allocation_past_the_memory_limit_is_reported_as_oom_killed() throws Exception {
        TestJob job = job("job-oom");
        ProcessSpec spec = job.process("hog", "/bin/sh", "-c", "head -c 200M /dev/zero | tail")
                .limits(new ProcessLimits(32L << 20, null, null, null)).build();

        ProcessExit exit = isolation.launch(spec, OutputListener.DISCARD).exit().get(60, TimeUnit.SECONDS);

        assertThat(exit.oomKilled()).isTrue();
        assertThat(exit.exitCode()).isEqualTo(137);
        assertThat(exit.signal()).isEqualTo("KILL");
        assertThat(exit.peakMemoryBytes()).isLessThanOrEqualTo(32L << 20).isGreaterThan(16L << 20);
    }

    @Test
    void a_fork_bomb_is_contained_by_the_pids_limit_and_the_stop_cleans_up() throws Exception {
        TestJob job = job("job-bomb");
        int limit = 32;
        // Every process forks two and waits for them: the tree grows until the pids limit refuses a fork.
        ProcessSpec spec = job.process("bomb", "/bin/sh", "-c", "bomb() { bomb & bomb & wait; }; bomb & exec sleep 600")
                .limits(new ProcessLimits(null, limit, null, 2)).build();
        RunningProcess process = isolation.launch(spec, OutputListener.DISCARD);
        String cgroup = isolation.cgroupPathOf(process.key());
        JobCgroups cgroups = JobCgroups.host();

        await().atMost(Duration.ofSeconds(20)).until(() -> forksRefused(cgroups, cgroup) > 0);
        assertThat(cgroups.pidsCurrent(cgroup).orElse(0)).isLessThanOrEqualTo(limit);
        long hostStart = System.nanoTime();
        assertThat(new ProcessBuilder("/bin/true").start().waitFor(5, TimeUnit.SECONDS)).as("host healthy").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - hostStart)).isLessThan(Duration.ofSeconds(5));

        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(exit.lost()).isFalse();
        assertNoProcessLeft(process.key());
    }

    /** pids.events ("max N", alike in v1 and v2) counts the forks the limit refused. */
    private static long forksRefused(JobCgroups cgroups, String cgroup) {
        return cgroups.dir("pids", cgroup).map(d -> {
            try {
                String events = ProcFiles.read(d.resolve("pids.events")).strip();
                return Long.parseLong(events.substring(events.indexOf(' ') + 1).strip());
            } catch (Exception e) {
                return 0L;
            }
        }).orElse(0L);
    }
}
