package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose preparation is stuck holds up no other worker: its input is served by a local HTTP server that
 * holds the response until the test releases it, and meanwhile another worker is prepared and launched.
 */
class CommandsOfDifferentWorkersTest {

    @TempDir
    Path stateDir;

    private HeldInput input;
    private NodeHarness harness;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        input = new HeldInput();
        harness = new NodeHarness("node-lanes", "node-lanes");
        runner = harness.startRunner(stateDir, 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        input.release();
        runner.close();
        harness.close();
        input.close();
    }

    @Test
    void a_worker_stuck_preparing_holds_up_only_its_own_launch() throws Exception {
        harness.send(PrepareWorker.newBuilder(harness.prepare("w-slow", "job-slow")).setInputs(List.of(input.file()))
                .build());
        harness.send(harness.launch("w-slow", "job-slow", "main", "cat input.txt"));
        assertThat(input.awaitRequested()).as("the slow worker's input is being fetched").isTrue();

        harness.send(harness.prepare("w-fast", "job-fast"));
        harness.send(harness.launch("w-fast", "job-fast", "main", "echo fast"));
        harness.awaitEvent(ProcessStarted.class, e -> e.getWorkerId().equals("w-fast"));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-fast")).getExitCode())
                .isZero();
        assertThat(eventsOf(harness, "w-slow")).as("the slow worker is still being prepared").isEmpty();

        input.release();
        ProcessExited slowExit = harness.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-slow"));

        assertThat(slowExit.getExitCode()).as("its launch saw the prepared input").isZero();
        assertThat(eventsOf(harness, "w-slow")).extracting(Object::getClass).as("in the order of its commands")
                .containsExactly(WorkerPrepared.class, ProcessStarted.class, ProcessExited.class);
        assertThat(harness.nodeEvents()).noneMatch(CommandRejected.class::isInstance);
        assertThat(NodeHarness.text(harness.logsOf("job-slow", "main"))).isEqualTo(HeldInput.CONTENT);

        harness.send(harness.destroy("w-slow", "job-slow"));
        harness.send(harness.destroy("w-fast", "job-fast"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-slow"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-fast"));
    }

    /** The worker events of {@code workerId}, in topic order. */
    static List<Object> eventsOf(NodeHarness harness, String workerId) {
        return harness.nodeEnvelopes().stream().map(NodeEventEnvelope::getPayload)
                .filter(e -> workerId.equals(workerIdOf(e))).toList();
    }

    private static String workerIdOf(Object event) {
        return switch (event) {
            case WorkerPrepared e -> e.getWorkerId();
            case ProcessStarted e -> e.getWorkerId();
            case ProcessExited e -> e.getWorkerId();
            case CommandRejected e -> e.getWorkerId();
            default -> null;
        };
    }
}
