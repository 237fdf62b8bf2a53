package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.domain.WorkerDirectories;
import io.sluice.runner.store.isolation.runc.ContainerLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job's directories under a test's temp dir, and a builder for its process specs. */
public final class TestJob {

    public final String jobId;
    public final String workerId;
    public final WorkerDirectories dirs;

    private TestJob(String jobId, String workerId, WorkerDirectories dirs) {
        this.jobId = jobId;
        this.workerId = workerId;
        this.dirs = dirs;
    }

    public static TestJob in(Path root, String jobId) {
        Path base = root.resolve("workers").resolve(jobId);
        WorkerDirectories dirs = new WorkerDirectories(base.resolve("data"), base.resolve("tmp"),
                root.resolve("logs"), base.resolve("store"), null);
        return new TestJob(jobId, "worker-" + jobId, dirs);
    }

    /** Copies a test resource of {@code isolation/} into the data dir, readable by everyone. */
    public String install(String resource) {
        try (var in = TestJob.class.getResourceAsStream("/isolation/" + resource)) {
            Files.createDirectories(dirs.data());
            Path target = dirs.data().resolve(resource);
            Files.write(target, in.readAllBytes());
            return ContainerLayout.DATA + "/" + resource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path log(String process, OutputStream stream) {
        return dirs.jobLogs(jobId).resolve(process + "." + stream.logSuffix());
    }

    public Spec process(String name, String... argv) {
        return new Spec(name, List.of(argv));
    }

    /** A mutable spec builder with test-friendly defaults (1 s grace). */
    public final class Spec {
        private final String name;
        private final List<String> argv;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String workdir;
        private ProcessLimits limits = ProcessLimits.NODE_DEFAULTS;
        private StopSignal signal;
        private Duration grace = Duration.ofSeconds(1);
        private WorkerDirectories directories = dirs;
        private Path networkNamespace;

        private Spec(String name, List<String> argv) {
            this.name = name;
            this.argv = argv;
        }

        public Spec env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Spec workdir(String value) {
            workdir = value;
            return this;
        }

        public Spec limits(ProcessLimits value) {
            limits = value;
            return this;
        }

        public Spec signal(StopSignal value) {
            signal = value;
            return this;
        }

        public Spec grace(Duration value) {
            grace = value;
            return this;
        }

        /** The network namespace the process joins; none (the default): the host's network. */
        public Spec networkNamespace(Path value) {
            networkNamespace = value;
            return this;
        }

        public Spec dirs(WorkerDirectories value) {
            directories = value;
            return this;
        }

        public ProcessSpec build() {
            return new ProcessSpec(jobId, workerId, name, argv, env, workdir, limits, signal, grace, directories,
                    networkNamespace);
        }
    }
}
