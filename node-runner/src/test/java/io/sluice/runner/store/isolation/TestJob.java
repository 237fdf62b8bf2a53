package io.sluice.runner.store.isolation;

import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.domain.WorkerDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job's directories under a test's temp dir, and a builder for its process specs. */
final class TestJob {

    final String jobId;
    final String workerId;
    final WorkerDirectories dirs;

    private TestJob(String jobId, String workerId, WorkerDirectories dirs) {
        this.jobId = jobId;
        this.workerId = workerId;
        this.dirs = dirs;
    }

    static TestJob in(Path root, String jobId) {
        Path base = root.resolve("workers").resolve(jobId);
        WorkerDirectories dirs = new WorkerDirectories(base.resolve("data"), base.resolve("tmp"),
                root.resolve("logs"), base.resolve("store"), null);
        return new TestJob(jobId, "worker-" + jobId, dirs);
    }

    /** Copies a test resource of {@code isolation/} into the data dir, readable by everyone. */
    String install(String resource) {
        try (var in = TestJob.class.getResourceAsStream("/isolation/" + resource)) {
            Files.createDirectories(dirs.data());
            Path target = dirs.data().resolve(resource);
            Files.write(target, in.readAllBytes());
            return ContainerLayout.DATA + "/" + resource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log(String process, OutputStream stream) {
        return dirs.jobLogs(jobId).resolve(process + "." + stream.logSuffix());
    }

    Spec process(String name, String... argv) {
        return new Spec(name, List.of(argv));
    }

    /** A mutable spec builder with test-friendly defaults (1 s grace). */
    final class Spec {
        private final String name;
        private final List<String> argv;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String workdir;
        private ProcessLimits limits = ProcessLimits.NODE_DEFAULTS;
        private StopSignal signal;
        private Duration grace = Duration.ofSeconds(1);
        private WorkerDirectories directories = dirs;

        private Spec(String name, List<String> argv) {
            this.name = name;
            this.argv = argv;
        }

        Spec env(String key, String value) {
            env.put(key, value);
            return this;
        }

        Spec workdir(String value) {
            workdir = value;
            return this;
        }

        Spec limits(ProcessLimits value) {
            limits = value;
            return this;
        }

        Spec signal(StopSignal value) {
            signal = value;
            return this;
        }

        Spec grace(Duration value) {
            grace = value;
            return this;
        }

        Spec dirs(WorkerDirectories value) {
            directories = value;
            return this;
        }

        ProcessSpec build() {
            return new ProcessSpec(jobId, workerId, name, argv, env, workdir, limits, signal, grace, directories);
        }
    }
}
