package io.sluice.runner.store.isolation.process;

import io.sluice.testing.Percentiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what a job's log quota costs: mounting it (once per job, at its first launch) and releasing it at cleanup,
 * empty and with a full stdout file to keep. Not a test: needs root; run it from the module's test class path with
 * the iterations as its argument (200 by default).
 */
public final class JobLogQuotaBenchmark {

    private static final long QUOTA = NodeSettings.DEFAULT_LOG_QUOTA_BYTES;

    private JobLogQuotaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path root = Files.createTempDirectory("sluice-log-quota-bench");
        List<Long> mounts = new ArrayList<>();
        List<Long> releases = new ArrayList<>();
        List<Long> fullReleases = new ArrayList<>();
        for (int i = -iterations / 5; i < iterations; i++) {
            Path dir = root.resolve("job-" + i);
            long start = System.nanoTime();
            JobLogDirectory.mount(dir, QUOTA, NodeSettings.NOBODY, NodeSettings.NOBODY);
            long mounted = System.nanoTime();
            Files.writeString(dir.resolve("p.stdout.log"), "hello\n");
            long before = System.nanoTime();
            JobLogDirectory.release(dir, List.of("p"));
            long released = System.nanoTime();
            if (i >= 0) {
                mounts.add(mounted - start);
                releases.add(released - before);
            }
            if (i >= 0 && i < 10) {
                Path full = root.resolve("full-" + i);
                JobLogDirectory.mount(full, QUOTA, NodeSettings.NOBODY, NodeSettings.NOBODY);
                Files.write(full.resolve("p.stdout.log"), new byte[(int) (QUOTA - 64 * 1024)]);
                long fullBefore = System.nanoTime();
                JobLogDirectory.release(full, List.of("p"));
                fullReleases.add(System.nanoTime() - fullBefore);
            }
        }
        Percentiles.header("log quota of " + QUOTA + " bytes, " + iterations + " jobs (ms)");
        print("mount at the first launch", mounts);
        print("release at cleanup, a line kept", releases);
        print("release at cleanup, 64 MiB kept (10 jobs)", fullReleases);
        HostCommands.run(List.of("rm", "-rf", root.toString()), java.time.Duration.ofMinutes(1));
    }

    private static void print(String what, List<Long> nanos) {
        Percentiles.print(what, nanos.stream().mapToLong(Long::longValue).toArray());
    }
}
