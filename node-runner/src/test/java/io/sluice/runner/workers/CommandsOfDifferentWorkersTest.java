package io.sluice.runner.workers;

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
    private NodeBench bench;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        input = new HeldInput();
        bench = new NodeBench("node-lanes", "node-lanes");
        runner = bench.startRunner(stateDir, 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        input.release();
        runner.close();
        bench.close();
        input.close();
    }

    @Test
    void a_worker_stuck_preparing_holds_up_only_its_own_launch() throws Exception {
        bench.send(PrepareWorker.newBuilder(bench.prepare("w-slow", "job-slow")).setInputs(List.of(input.file()))
                .build());
        bench.send(bench.launch("w-slow", "job-slow", "main", "cat input.txt"));
        assertThat(input.awaitRequested()).as("the slow worker's input is being fetched").isTrue();

        bench.send(bench.prepare("w-fast", "job-fast"));
        bench.send(bench.launch("w-fast", "job-fast", "main", "echo fast"));
        bench.awaitEvent(ProcessStarted.class, e -> e.getWorkerId().equals("w-fast"));
        assertThat(bench.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-fast")).getExitCode())
                .isZero();
        assertThat(eventsOf(bench, "w-slow")).as("the slow worker is still being prepared").isEmpty();

        input.release();
        ProcessExited slowExit = bench.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-slow"));

        assertThat(slowExit.getExitCode()).as("its launch saw the prepared input").isZero();
        assertThat(eventsOf(bench, "w-slow")).extracting(Object::getClass).as("in the order of its commands")
                .containsExactly(WorkerPrepared.class, ProcessStarted.class, ProcessExited.class);
        assertThat(bench.nodeEvents()).noneMatch(CommandRejected.class::isInstance);
        assertThat(NodeBench.text(bench.logsOf("job-slow", "main"))).isEqualTo(HeldInput.CONTENT);

        bench.send(bench.destroy("w-slow", "job-slow"));
        bench.send(bench.destroy("w-fast", "job-fast"));
        bench.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-slow"));
        bench.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-fast"));
    }

    /** The worker events of {@code workerId}, in topic order. */
    static List<Object> eventsOf(NodeBench bench, String workerId) {
        return bench.nodeEnvelopes().stream().map(NodeEventEnvelope::getPayload)
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
