package io.sluice.runner.store.isolation.runc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.Percentiles;
import io.sluice.runner.config.RuntimeRoot;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import io.sluice.runner.store.isolation.process.ProcessStateJson;
import io.sluice.runner.store.isolation.process.TestJob;
import io.sluice.runner.store.isolation.shim.LaunchTimings;
import io.sluice.runner.store.isolation.shim.Shim;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Measures what {@link RuncIsolation} adds on top of a bare {@code runc run} of the same bundle, launch to exit, for
 * {@code /bin/true}. Not a test: run it as docs/benchmarks.md says. Argument (or SLUICE_BENCH_ITERATIONS):
 * iterations, 1000 by default: a p99 of 200 is decided by the two largest of them, which on a shared 2-core host are
 * whichever launches met a scheduling stall.
 *
 * <p>runc's own run time varies by several milliseconds from one run to the next, so besides the paired difference
 * (isolated minus bare) it prints the same difference between two bare runs (the noise floor), and the two parts of
 * the overhead that do not depend on runc: the runner's own time (before spawning the shim, after the shim exited)
 * and the cost of the shim the runner uses (native, or the shell fallback), measured around /bin/true; with the
 * native shim, the shell shim's cost is printed beside it for comparison.
 */
public final class IsolationOverheadBenchmark {

    /** The runner's own steps, in order: three before the shim is spawned, three after it exited. */
    private static final List<String> STEPS = List.of("checks, lock, state dir",
            "bundle: checks, config.json, log files", "process.json", "hand-off from the reaper to a pool thread",
            "exit status, cgroup counters", "last output, completing exit()");

    private IsolationOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_ITERATIONS", "1000"));
        int warmup = Math.max(30, iterations / 5);
        Path root = Files.createTempDirectory("sluice-bench");
        String cgroupParent = "sluice-bench-" + UUID.randomUUID().toString().substring(0, 8);
        NodeSettings settings = NodeSettings.defaults().withCgroupParent(cgroupParent);
        // The processes' state and runc's root on a tmpfs, as the runner keeps them by default (its runtime dir).
        Path runtime = RuntimeRoot.of(null, IsolationMode.RUNC, root);
        Path runcRoot = runtime.resolve("runc");
        try (RuncIsolation isolation = new RuncIsolation(root.resolve("state"), runtime, RuncIsolation.DEFAULT_RUNC,
                RuncIsolation.DEFAULT_TINI, settings)) {
            TestJob job = TestJob.in(root, "bench");
            ProcessSpec spec = job.process("true", "/bin/true").build();
            Path bareBundle = bareBundleLike(isolation, spec, root, cgroupParent);

            long[] bare = new long[iterations];
            long[] bareAgain = new long[iterations];
            long[] ours = new long[iterations];
            long[] own = new long[iterations];
            long[] before = new long[iterations];
            long[] after = new long[iterations];
            long[][] steps = new long[STEPS.size()][iterations];
            long[] cleanup = new long[iterations];
            for (int i = -warmup; i < iterations; i++) {
                long[] sample = new long[3];
                // rotate the order so that neither kind always runs right after the other
                for (int k = 0; k < 3; k++) {
                    int which = (k + Math.floorMod(i, 3)) % 3;
                    sample[which] = which == 1 ? runOurs(isolation, spec) : runBare(runcRoot, bareBundle, root);
                }
                LaunchTimings timings = isolation.tracked(spec.key()).orElseThrow().timings();
                long cleanupStart = System.nanoTime();
                isolation.forget(spec.workerId(), spec.processName());
                long cleanupNanos = System.nanoTime() - cleanupStart;
                if (i >= 0) {
                    bare[i] = sample[0];
                    ours[i] = sample[1];
                    bareAgain[i] = sample[2];
                    own[i] = timings.ownNanos();
                    before[i] = timings.beforeSpawnNanos();
                    after[i] = timings.afterExitNanos();
                    long[] marks = {timings.launchCalled, timings.stateDirCreated, timings.bundleWritten,
                            timings.shimSpawning, timings.shimExited, timings.finishing, timings.exitCollected,
                            timings.exitCompleting};
                    for (int step = 0; step < STEPS.size(); step++) {
                        // marks[3] to marks[4] is the shim and runc, not the runner's
                        int from = step < 3 ? step : step + 1;
                        steps[step][i] = marks[from + 1] - marks[from];
                    }
                    cleanup[i] = cleanupNanos;
                }
            }
            Shim shim = isolation.shim();
            long[] wrapper = shimWrapperCost(shim, root, iterations, warmup);
            long[] shellWrapper = shim.isNative() ? shimWrapperCost(Shim.shell(), root, iterations, warmup) : null;

            System.out.printf("RuncIsolation launch-to-exit overhead over a bare `runc run` of the same bundle, /bin/true,"
                    + "%n%d iterations after %d warm-up, %d cores, %s, runc %s%n", iterations, warmup,
                    Runtime.getRuntime().availableProcessors(), Instant.now(), RuncIsolation.DEFAULT_RUNC);
            Percentiles.header("(milliseconds)");
            Percentiles.print("bare runc run (ProcessBuilder.start, waitFor)", bare);
            Percentiles.print("RuncIsolation launch() until exit() completes", ours);
            Percentiles.print("paired difference: isolated - bare", difference(ours, bare));
            Percentiles.print("noise floor: bare - bare (two runs, same iteration)", difference(bareAgain, bare));
            System.out.printf("%-56s %8s %8s %8.2f%n", "p99(isolated) - p99(bare)", "", "",
                    (Percentiles.of(ours, 99) - Percentiles.of(bare, 99)) / 1e6);
            Percentiles.print("runner's own time (before spawn + after shim exit)", own);
            Percentiles.print("  of which before spawning the shim", before);
            for (int step = 0; step < 3; step++) {
                Percentiles.print("    " + STEPS.get(step), steps[step]);
            }
            Percentiles.print("  of which after the shim exited", after);
            for (int step = 3; step < STEPS.size(); step++) {
                Percentiles.print("    " + STEPS.get(step), steps[step]);
            }
            System.out.printf("shim the runner uses: %s%n", shim.description());
            Percentiles.print("shim wrapper (the runner's shim) around /bin/true", wrapper);
            Percentiles.print("own time + shim wrapper (paired by iteration)", sum(own, wrapper));
            if (shellWrapper != null) {
                Percentiles.print("for comparison: shell shim wrapper around /bin/true", shellWrapper);
                Percentiles.print("for comparison: own time + shell shim wrapper", sum(own, shellWrapper));
            }
            Percentiles.print("not included: forget() afterwards", cleanup);
        } finally {
            for (File hierarchy : new File("/sys/fs/cgroup").listFiles()) {
                new File(hierarchy, cgroupParent + "/bare/bare").delete();
                new File(hierarchy, cgroupParent + "/bare").delete();
                new File(hierarchy, cgroupParent + "/bench").delete();
                new File(hierarchy, cgroupParent).delete();
            }
            new ProcessBuilder("rm", "-rf", root.toString(), runtime.toString()).start().waitFor();
        }
    }

    /** The bundle RuncIsolation writes for the spec, in its own cgroup, so that both start the same container. */
    private static Path bareBundleLike(RuncIsolation isolation, ProcessSpec spec, Path root, String cgroupParent)
            throws Exception {
        isolation.launch(spec, OutputListener.DISCARD).exit().get(30, TimeUnit.SECONDS);
        Path source = isolation.stateDirOf(spec.key()).bundle();
        Path bundle = root.resolve("bare-bundle");
        Files.createDirectories(bundle);
        ObjectNode config = (ObjectNode) ProcessStateJson.MAPPER.readTree(source.resolve("config.json").toFile());
        ((ObjectNode) config.path("linux")).put("cgroupsPath", "/" + cgroupParent + "/bare/bare");
        ProcessStateJson.MAPPER.writeValue(bundle.resolve("config.json").toFile(), config);
        isolation.forget(spec.workerId(), spec.processName());
        return bundle;
    }

    private static long runBare(Path runcRoot, Path bundle, Path root) throws Exception {
        long start = System.nanoTime();
        int status = new ProcessBuilder(RuncIsolation.DEFAULT_RUNC.toString(), "--root", runcRoot.toString(), "run",
                "--bundle", bundle.toString(), "bare")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("bare.stdout.log").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(root.resolve("bare.stderr.log").toFile()))
                .start().waitFor();
        long elapsed = System.nanoTime() - start;
        if (status != 0) {
            throw new IllegalStateException("bare runc run failed with " + status + ", see " + root);
        }
        return elapsed;
    }

    private static long runOurs(RuncIsolation isolation, ProcessSpec spec) throws Exception {
        long start = System.nanoTime();
        ProcessExit exit = isolation.launch(spec, OutputListener.DISCARD).exit().get(30, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        if (exit.exitCode() == null || exit.exitCode() != 0) {
            throw new IllegalStateException("isolated /bin/true ended with " + exit);
        }
        return elapsed;
    }

    /** Spawn-to-exit of /bin/true through the shim minus spawn-to-exit of /bin/true itself. */
    private static long[] shimWrapperCost(Shim shim, Path root, int iterations, int warmup) throws Exception {
        ProcessStateDir dir = new ProcessStateDir(Files.createDirectories(root.resolve("wrapper")));
        ProcessRecord record = new ProcessRecord("w", "p", "j", IsolationMode.RUNC, "id", null,
                root.resolve("wrapper.stdout.log").toString(), root.resolve("wrapper.stderr.log").toString(), 0, 0,
                Instant.now().toString(), StopSignal.TERM, 0);
        long[] cost = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long start = System.nanoTime();
            shim.start(dir, record, List.of("/bin/true"), java.util.Map.of(), dir.path()).onExit().get();
            long wrapped = System.nanoTime() - start;
            start = System.nanoTime();
            new ProcessBuilder("/bin/true").start().onExit().get();
            long plain = System.nanoTime() - start;
            if (i >= 0) {
                cost[i] = wrapped - plain;
            }
        }
        return cost;
    }

    private static long[] difference(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static long[] sum(long[] a, long[] b) {
        long[] s = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }
}
