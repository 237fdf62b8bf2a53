package io.sluice.runner.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.ShutdownSignal;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.StopProcess;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stops honour what StopProcess asks for, and destroying a worker holds up no other command. */
class StopAndDestroyTest {

    /** Far longer than any deadline here: a test that waited for it would fail. */
    private static final long TEN_MINUTES = 600_000;

    @TempDir
    Path stateDir;

    private NodeBench bench;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        bench = new NodeBench("stop-and-destroy", "node-stops");
        runner = bench.startRunner(stateDir, 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        bench.close();
    }

    @Test
    void a_stop_command_may_ask_for_its_own_signal_and_a_shorter_grace() throws Exception {
        prepare("w1", "job-1");
        bench.send(bench.launch("w1", "job-1", "gentle", "trap 'echo got-INT; exit 0' INT; "
                + "trap 'echo got-TERM; exit 1' TERM; echo gentle-ready; while true; do sleep 0.05; done"));
        LaunchProcess stubborn = bench.launch("w1", "job-1", "stubborn", "trap '' TERM; "
                + "trap 'echo got-QUIT; exit 3' QUIT; echo stubborn-ready; while true; do sleep 0.05; done");
        stubborn.setStopGraceMillis(TEN_MINUTES);
        bench.send(stubborn);
        await().atMost(NodeBench.DEADLINE).until(() -> NodeBench.text(bench.logs()).contains("gentle-ready")
                && NodeBench.text(bench.logs()).contains("stubborn-ready"));

        StopProcess withInt = bench.stop("w1", "job-1", "gentle");
        withInt.setSignal(ShutdownSignal.INT);
        StopProcess hurried = bench.stop("w1", "job-1", "stubborn");
        hurried.setGraceMillis(200L);
        bench.send(withInt);
        bench.send(hurried);

        ProcessExited gentle = bench.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("gentle"));
        ProcessExited quit = bench.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("stubborn"));
        assertThat(gentle.getExitCode()).isZero();
        assertThat(gentle.getStopRequested()).isTrue();
        assertThat(quit.getExitCode()).as("exit after QUIT, long before the launch's grace").isEqualTo(3);
        assertThat(quit.getStopRequested()).isTrue();
        await().atMost(NodeBench.DEADLINE).untilAsserted(() -> assertThat(NodeBench.text(bench.logs()))
                .contains("got-INT", "got-QUIT").doesNotContain("got-TERM"));
    }

    @Test
    void a_worker_being_destroyed_holds_up_no_other_command_and_is_reported_destroyed_once_all_is_gone()
            throws Exception {
        prepare("wa", "job-a");
        prepare("wb", "job-b");
        LaunchProcess lingering = bench.launch("wa", "job-a", "lingering", "trap '' TERM; echo lingering-ready; "
                + "while [ ! -e /sluice/data/go ]; do sleep 0.05; done; echo bye");
        lingering.setStopGraceMillis(TEN_MINUTES);
        bench.send(lingering);
        await().atMost(NodeBench.DEADLINE).until(() -> NodeBench.text(bench.logs()).contains("lingering-ready"));

        bench.send(bench.destroy("wa", "job-a"));
        bench.send(bench.destroy("wa", "job-a"));
        bench.send(bench.launch("wa", "job-a", "late", "true"));
        bench.send(bench.launch("wb", "job-b", "prompt", "echo prompt"));

        bench.awaitEvent(ProcessStarted.class, e -> e.getProcess().equals("prompt"));
        CommandRejected late = bench.awaitEvent(CommandRejected.class, e -> "wa".equals(e.getWorkerId()));
        assertThat(late.getReason()).contains("being destroyed");
        assertThat(bench.nodeEvents()).as("worker wa still stopping its process")
                .noneMatch(e -> e instanceof WorkerDestroyed || e instanceof ProcessExited exited
                        && exited.getProcess().equals("lingering"));

        Files.createFile(stateDir.resolve("workers/wa/data/go"));
        bench.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("wa"));
        List<Object> events = bench.nodeEvents();
        int exited = indexOf(events, e -> e instanceof ProcessExited p && p.getProcess().equals("lingering"));
        int destroyed = indexOf(events, e -> e instanceof WorkerDestroyed d && d.getWorkerId().equals("wa"));
        assertThat(exited).as("ProcessExited before WorkerDestroyed").isBetween(0, destroyed - 1);
        assertThat(((ProcessExited) events.get(exited)).getStopRequested()).isTrue();
        assertThat(stateDir.resolve("workers/wa")).as("workspace").doesNotExist();
        assertThat(stateDir.resolve("logs/job-a/lingering.stdout.log")).as("log kept").content().contains("bye");

        // Once it is gone, another DestroyWorker changes nothing: a later command's answer shows it was handled.
        bench.send(bench.destroy("wa", "job-a"));
        bench.send(bench.launch("nobody", "job-x", "x", "true"));
        bench.awaitEvent(CommandRejected.class, e -> "nobody".equals(e.getWorkerId()));
        assertThat(bench.nodeEvents()).filteredOn(e -> e instanceof WorkerDestroyed d && d.getWorkerId().equals("wa"))
                .hasSize(1);
        assertThat(bench.nodeEvents()).filteredOn(e -> e instanceof ProcessStarted p && p.getProcess().equals("late"))
                .isEmpty();
    }

    private void prepare(String workerId, String jobId) throws Exception {
        bench.send(bench.prepare(workerId, jobId));
        bench.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(workerId));
    }

    private static int indexOf(List<Object> events, java.util.function.Predicate<Object> matching) {
        for (int i = 0; i < events.size(); i++) {
            if (matching.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
