package io.sluice.runner.edge;

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

    private NodeHarness harness;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        harness = new NodeHarness("stop-and-destroy", "node-stops");
        runner = harness.startRunner(stateDir, 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        harness.close();
    }

    @Test
    void a_stop_command_may_ask_for_its_own_signal_and_a_shorter_grace() throws Exception {
        prepare("w1", "job-1");
        harness.send(harness.launch("w1", "job-1", "gentle", "trap 'echo got-INT; exit 0' INT; "
                + "trap 'echo got-TERM; exit 1' TERM; echo gentle-ready; while true; do sleep 0.05; done"));
        LaunchProcess stubborn = harness.launch("w1", "job-1", "stubborn", "trap '' TERM; "
                + "trap 'echo got-QUIT; exit 3' QUIT; echo stubborn-ready; while true; do sleep 0.05; done");
        stubborn.setStopGraceMillis(TEN_MINUTES);
        harness.send(stubborn);
        await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("gentle-ready")
                && NodeHarness.text(harness.logs()).contains("stubborn-ready"));

        StopProcess withInt = harness.stop("w1", "job-1", "gentle");
        withInt.setSignal(ShutdownSignal.INT);
        StopProcess hurried = harness.stop("w1", "job-1", "stubborn");
        hurried.setGraceMillis(200L);
        harness.send(withInt);
        harness.send(hurried);

        ProcessExited gentle = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("gentle"));
        ProcessExited quit = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("stubborn"));
        assertThat(gentle.getExitCode()).isZero();
        assertThat(gentle.getStopRequested()).isTrue();
        assertThat(quit.getExitCode()).as("exit after QUIT, long before the launch's grace").isEqualTo(3);
        assertThat(quit.getStopRequested()).isTrue();
        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> assertThat(NodeHarness.text(harness.logs()))
                .contains("got-INT", "got-QUIT").doesNotContain("got-TERM"));
    }

    @Test
    void a_worker_being_destroyed_holds_up_no_other_command_and_is_reported_destroyed_once_all_is_gone()
            throws Exception {
        prepare("wa", "job-a");
        prepare("wb", "job-b");
        LaunchProcess lingering = harness.launch("wa", "job-a", "lingering", "trap '' TERM; echo lingering-ready; "
                + "while [ ! -e /sluice/data/go ]; do sleep 0.05; done; echo bye");
        lingering.setStopGraceMillis(TEN_MINUTES);
        harness.send(lingering);
        await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("lingering-ready"));

        harness.send(harness.destroy("wa", "job-a"));
        harness.send(harness.destroy("wa", "job-a"));
        harness.send(harness.launch("wa", "job-a", "late", "true"));
        harness.send(harness.launch("wb", "job-b", "prompt", "echo prompt"));

        harness.awaitEvent(ProcessStarted.class, e -> e.getProcess().equals("prompt"));
        CommandRejected late = harness.awaitEvent(CommandRejected.class, e -> "wa".equals(e.getWorkerId()));
        assertThat(late.getReason()).contains("being destroyed");
        assertThat(harness.nodeEvents()).as("worker wa still stopping its process")
                .noneMatch(e -> e instanceof WorkerDestroyed || e instanceof ProcessExited exited
                        && exited.getProcess().equals("lingering"));

        Files.createFile(stateDir.resolve("workers/wa/data/go"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("wa"));
        List<Object> events = harness.nodeEvents();
        int exited = indexOf(events, e -> e instanceof ProcessExited p && p.getProcess().equals("lingering"));
        int destroyed = indexOf(events, e -> e instanceof WorkerDestroyed d && d.getWorkerId().equals("wa"));
        assertThat(exited).as("ProcessExited before WorkerDestroyed").isBetween(0, destroyed - 1);
        assertThat(((ProcessExited) events.get(exited)).getStopRequested()).isTrue();
        assertThat(stateDir.resolve("workers/wa")).as("workspace").doesNotExist();
        assertThat(stateDir.resolve("logs/job-a/lingering.stdout.log")).as("log kept").content().contains("bye");

        // Once it is gone, another DestroyWorker changes nothing: a later command's answer shows it was handled.
        harness.send(harness.destroy("wa", "job-a"));
        harness.send(harness.launch("nobody", "job-x", "x", "true"));
        harness.awaitEvent(CommandRejected.class, e -> "nobody".equals(e.getWorkerId()));
        assertThat(harness.nodeEvents()).filteredOn(e -> e instanceof WorkerDestroyed d && d.getWorkerId().equals("wa"))
                .hasSize(1);
        assertThat(harness.nodeEvents()).filteredOn(e -> e instanceof ProcessStarted p && p.getProcess().equals("late"))
                .isEmpty();
    }

    private void prepare(String workerId, String jobId) throws Exception {
        harness.send(harness.prepare(workerId, jobId));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals(workerId));
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
