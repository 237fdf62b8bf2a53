package io.sluice.runner.workers;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sluice.events.InputFile;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose preparation is stuck holds up no other worker: its input is served by a local HTTP server that
 * holds the response until the test releases it, and meanwhile another worker is prepared and launched.
 */
class CommandsOfDifferentWorkersTest {

    private static final byte[] INPUT = "input of the slow worker\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private NodeBench bench;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/input", exchange -> {
            requested.countDown();
            try {
                release.await();
                exchange.sendResponseHeaders(200, INPUT.length);
                exchange.getResponseBody().write(INPUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        bench = new NodeBench("node-lanes", "node-lanes");
        runner = bench.startRunner(stateDir, 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        runner.close();
        bench.close();
        server.stop(0);
    }

    @Test
    void a_worker_stuck_preparing_holds_up_only_its_own_launch() throws Exception {
        bench.send(slowPrepare("w-slow", "job-slow"));
        bench.send(bench.launch("w-slow", "job-slow", "main", "cat input.txt"));
        assertThat(requested.await(NodeBench.DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .as("the slow worker's input is being fetched").isTrue();

        bench.send(bench.prepare("w-fast", "job-fast"));
        bench.send(bench.launch("w-fast", "job-fast", "main", "echo fast"));
        bench.awaitEvent(ProcessStarted.class, e -> e.getWorkerId().equals("w-fast"));
        assertThat(bench.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-fast")).getExitCode())
                .isZero();
        assertThat(eventsOf("w-slow")).as("the slow worker is still being prepared").isEmpty();

        release.countDown();
        ProcessExited slowExit = bench.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-slow"));

        assertThat(slowExit.getExitCode()).as("its launch saw the prepared input").isZero();
        assertThat(eventsOf("w-slow")).extracting(Object::getClass).as("in the order of its commands")
                .containsExactly(WorkerPrepared.class, ProcessStarted.class, ProcessExited.class);
        assertThat(bench.nodeEvents()).noneMatch(CommandRejected.class::isInstance);
        assertThat(NodeBench.text(bench.logsOf("job-slow", "main"))).isEqualTo(new String(INPUT,
                StandardCharsets.UTF_8));

        bench.send(bench.destroy("w-slow", "job-slow"));
        bench.send(bench.destroy("w-fast", "job-fast"));
        bench.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-slow"));
        bench.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-fast"));
    }

    private PrepareWorker slowPrepare(String workerId, String jobId) throws Exception {
        InputFile input = InputFile.newBuilder()
                .setSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(INPUT)))
                .setFetchUri("http://127.0.0.1:" + server.getAddress().getPort() + "/input")
                .setPath("input.txt").setExecutable(false).setSizeBytes((long) INPUT.length).build();
        return PrepareWorker.newBuilder(bench.prepare(workerId, jobId)).setInputs(List.of(input)).build();
    }

    private List<Object> eventsOf(String workerId) {
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
