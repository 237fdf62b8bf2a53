package io.sluice.runner.edge;

import io.sluice.events.JobNetwork;
import io.sluice.events.node.PrepareWorker;
import io.sluice.runner.edge.CommandLatencyBenchmark.Seen;
import io.sluice.runner.store.isolation.network.NetworkSettings;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.testing.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures what a worker's network of its own costs its start: new workers one at a time, each a PrepareWorker and
 * right behind it a LaunchProcess of {@code /bin/true}, alternately with a network of its own (ISOLATED) and with the
 * host's (HOST), against the test broker and a runner in this JVM isolating with runc; the baseline (HOST) is
 * measured in the same run, worker by worker beside the other. Beside it, the network's own steps alone: creating
 * and removing one. Not a test: run it as docs/benchmarks.md says. Argument (or SLUICE_BENCH_ITERATIONS): workers of
 * each kind, 200 by default.
 */
public final class NetworkStartBenchmark {

    private static final String NODE = "bench-network";

    private NetworkStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_ITERATIONS", "200"));
        int warmup = Math.max(10, iterations / 5);
        Path stateDir = Files.createTempDirectory("sluice-network-start");
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        JobNetwork[] kinds = {JobNetwork.ISOLATED, JobNetwork.HOST};
        long[][] started = new long[2][iterations];
        long[][] prepared = new long[2][iterations];
        long[][] destroyed = new long[2][iterations];
        long[] create = new long[iterations];
        long[] remove = new long[iterations];
        try (NodeHarness harness = new NodeHarness("network-start", NODE);
             NodeRunner runner = harness.startRunner(stateDir, 1024 * 1024)) {
            Thread watcher = CommandLatencyBenchmark.watch(harness, seen, watching);
            for (int i = -warmup; i < iterations; i++) {
                for (int k = 0; k < 2; k++) {
                    // Which kind goes first alternates, so neither always follows the other's clean-up.
                    int kind = (i + k) % 2 == 0 ? 0 : 1;
                    String worker = "w" + kinds[kind].name().toLowerCase() + (i + warmup);
                    String job = "job-" + worker;
                    long prepareSent = System.nanoTime();
                    harness.send(PrepareWorker.newBuilder(harness.prepare(worker, job)).setNetwork(kinds[kind])
                            .build());
                    harness.send(harness.launch(worker, job, "true", "true"));
                    Seen workerPrepared = CommandLatencyBenchmark.await(seen, "WorkerPrepared/" + worker);
                    Seen processStarted = CommandLatencyBenchmark.await(seen, "ProcessStarted/" + worker);
                    CommandLatencyBenchmark.await(seen, "ProcessExited/" + worker);
                    long destroySent = System.nanoTime();
                    harness.send(harness.destroy(worker, job));
                    Seen workerDestroyed = CommandLatencyBenchmark.await(seen, "WorkerDestroyed/" + worker);
                    if (i >= 0) {
                        started[kind][i] = processStarted.nanos() - prepareSent;
                        prepared[kind][i] = workerPrepared.nanos() - prepareSent;
                        destroyed[kind][i] = workerDestroyed.nanos() - destroySent;
                    }
                }
            }
            watching.set(false);
            watcher.join();
            VethNetworks networks = VethNetworks.open(stateDir.resolve("alone"), NetworkSettings.defaults());
            for (int i = -warmup; i < iterations; i++) {
                long start = System.nanoTime();
                networks.create("alone");
                long created = System.nanoTime();
                networks.remove("alone");
                if (i >= 0) {
                    create[i] = created - start;
                    remove[i] = System.nanoTime() - created;
                }
            }

            System.out.printf("Worker start with and without a network of its own, %d workers of each after %d "
                            + "warm-up, %d cores, %s%n", iterations, warmup, Runtime.getRuntime().availableProcessors(),
                    Instant.now());
            Percentiles.header("(milliseconds, as a consumer of sluice.node.events sees the events)");
            Percentiles.print("ISOLATED: PrepareWorker sent -> ProcessStarted", started[0]);
            Percentiles.print("HOST (baseline): PrepareWorker sent -> ProcessStarted", started[1]);
            Percentiles.print("ISOLATED: PrepareWorker sent -> WorkerPrepared", prepared[0]);
            Percentiles.print("HOST (baseline): PrepareWorker sent -> WorkerPrepared", prepared[1]);
            Percentiles.print("ISOLATED: DestroyWorker sent -> WorkerDestroyed", destroyed[0]);
            Percentiles.print("HOST (baseline): DestroyWorker sent -> WorkerDestroyed", destroyed[1]);
            Percentiles.print("part: a network created (ip, twice)", create);
            Percentiles.print("part: a network removed (ip, once)", remove);
        } finally {
            new ProcessBuilder("rm", "-rf", stateDir.toString()).start().waitFor();
        }
        System.exit(0); // the shared test broker's threads would keep the JVM alive
    }
}
