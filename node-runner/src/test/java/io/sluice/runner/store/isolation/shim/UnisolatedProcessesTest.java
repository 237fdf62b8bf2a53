package io.sluice.runner.store.isolation.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.process.LaunchFailedException;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import io.sluice.runner.store.isolation.runc.RuncProbeTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mode NONE keeps the same semantics where it can: exit codes, log files, the stop ladder, adoption. */
class UnisolatedProcessesTest {

    private static final String LOOP = "echo ready; while :; do sleep 0.05; done";

    @TempDir
    Path root;
    UnisolatedProcesses isolation;
    TestJob job;
    /** The signals the stop ladders escalated to, as the node's metrics count them. */
    final List<String> escalations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        isolation = new UnisolatedProcesses(root.resolve("state"),
                NodeSettings.defaults().withQuitGrace(Duration.ofMillis(500)));
        isolation.onStopEscalation(escalations::add);
        job = TestJob.in(root, "job-laptop");
    }

    @AfterEach
    void stopEverything() {
        for (ProcessKey key : isolation.listKnown()) {
            isolation.adopt(key.workerId(), key.processName(), OutputListener.DISCARD)
                    .ifPresent(p -> p.stop().orTimeout(30, TimeUnit.SECONDS).join());
            isolation.forget(key.workerId(), key.processName());
        }
        isolation.close();
    }

    @Test
    void a_process_runs_with_its_directories_and_reports_its_exit_code() throws Exception {
        OutputCollector output = new OutputCollector();
        ProcessExit exit = isolation.launch(job.process("task", "/bin/sh", "-c",
                "echo tmp=$TMPDIR; echo cwd=$(pwd); echo nofile=$(ulimit -n); echo oops >&2; exit 3")
                .limits(new ProcessLimits(null, null, 100, null)).build(), output).exit().get(30, TimeUnit.SECONDS);

        assertThat(isolation.mode()).isEqualTo(IsolationMode.NONE);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.signal()).isNull();
        Map<String, String> seen = RuncProbeTest.parse(output.stdout());
        assertThat(seen).containsEntry("tmp", job.dirs.tmp().toString())
                .containsEntry("cwd", job.dirs.data().toString()).containsEntry("nofile", "100");
        assertThat(job.log("task", OutputStream.STDERR)).hasContent("oops");
    }

    @Test
    void a_process_ignoring_term_gets_quit_after_the_grace() throws Exception {
        OutputCollector output = new OutputCollector();
        RunningProcess process = launchReady(job.process("stubborn", "/bin/sh", "-c",
                "trap '' TERM; trap 'echo got-QUIT; exit 3' QUIT; " + LOOP), output);

        long start = System.nanoTime();
        ProcessExit exit = process.stop().get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(output.stdout()).contains("got-QUIT");
        assertThat(escalations).as("the ladder needed QUIT, not KILL").containsExactly("QUIT");
    }

    @Test
    void int_is_honoured_and_deaf_processes_are_killed_with_their_children() throws Exception {
        OutputCollector gentleOutput = new OutputCollector();
        RunningProcess gentle = launchReady(job.process("gentle", "/bin/sh", "-c",
                "trap 'echo got-INT; exit 0' INT; " + LOOP).signal(StopSignal.INT), gentleOutput);
        RunningProcess deaf = launchReady(job.process("deaf", "/bin/sh", "-c",
                "sh -c 'trap \"\" TERM QUIT; sleep 600' & trap '' TERM QUIT; " + LOOP)
                .grace(Duration.ofMillis(200)), new OutputCollector());

        assertThat(gentle.stop().get(30, TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(gentleOutput.stdout()).contains("got-INT");
        assertThat(escalations).as("INT was enough for the gentle one").isEmpty();
        assertThat(deaf.stop().get(30, TimeUnit.SECONDS).signal()).isEqualTo("KILL");
        assertThat(ProcessGroups.members(deaf.pid())).isEmpty();
        assertThat(escalations).as("the deaf one needed QUIT, then KILL, each counted once").containsExactly("QUIT",
                "KILL");
    }

    @Test
    void a_restarted_runner_adopts_its_processes() throws Exception {
        RunningProcess first = launchReady(job.process("server", "/bin/sh", "-c", LOOP), new OutputCollector());
        isolation.close();

        isolation = new UnisolatedProcesses(root.resolve("state"));
        OutputCollector output = new OutputCollector();
        RunningProcess adopted = isolation.adopt(job.workerId, "server", output).orElseThrow();

        assertThat(adopted.pid()).isEqualTo(first.pid());
        await().atMost(Duration.ofSeconds(5)).until(() -> output.stdout().equals("ready\n"));
        assertThat(adopted.stop().get(30, TimeUnit.SECONDS).signal()).isEqualTo("TERM");
    }

    @Test
    void a_runtime_root_of_its_own_is_kept_while_processes_run_and_removed_by_a_runner_that_stops_with_none()
            throws Exception {
        isolation.close();
        Path runtime = root.resolve("runtime");
        isolation = new UnisolatedProcesses(root.resolve("state"), runtime, NodeSettings.defaults());
        RunningProcess first = launchReady(job.process("server", "/bin/sh", "-c", LOOP), new OutputCollector());
        isolation.close();
        assertThat(runtime.resolve("processes")).isNotEmptyDirectory();
        assertThat(root.resolve("state/processes")).isEmptyDirectory();

        isolation = new UnisolatedProcesses(root.resolve("state"), runtime, NodeSettings.defaults());
        RunningProcess adopted = isolation.adopt(job.workerId, "server", OutputListener.DISCARD).orElseThrow();
        assertThat(adopted.pid()).isEqualTo(first.pid());
        assertThat(adopted.stop().get(30, TimeUnit.SECONDS).signal()).isEqualTo("TERM");
        isolation.forget(job.workerId, "server");
        isolation.close();
        assertThat(runtime).doesNotExist();
        assertThat(root.resolve("state")).isDirectory();

        isolation = new UnisolatedProcesses(root.resolve("state"));
    }

    @Test
    void a_runtime_root_that_is_the_state_root_spelled_another_way_is_one_root() {
        isolation.close();
        isolation = new UnisolatedProcesses(root.resolve("state"), root.resolve("state/../state"),
                NodeSettings.defaults());
        assertThat(isolation.listKnown()).isEmpty();
    }

    @Test
    void a_second_runner_on_the_same_state_root_is_refused() {
        assertThatThrownBy(() -> new UnisolatedProcesses(root.resolve("state")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another runner uses the state root");
    }

    @Test
    void a_missing_executable_fails_the_launch() {
        assertThatThrownBy(() -> isolation.launch(job.process("p", "/bin/nope").build(), OutputListener.DISCARD))
                .isInstanceOf(LaunchFailedException.class).hasMessage("executable /bin/nope not found");
    }

    private RunningProcess launchReady(TestJob.Spec spec, OutputCollector output) throws Exception {
        RunningProcess process = isolation.launch(spec.build(), output);
        await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("ready"));
        return process;
    }
}
