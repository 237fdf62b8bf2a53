package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.ProcFiles;
import io.sluice.runner.store.isolation.process.TestJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that run real containers: a fresh state root and cgroup parent per test, cleaned up after. */
abstract class RuncTestSupport {

    @TempDir
    Path root;
    RuncIsolation isolation;
    NodeSettings settings;

    @BeforeEach
    void startIsolation() {
        var availability = RuncIsolation.available();
        assumeTrue(availability.available(), availability.reason());
        settings = NodeSettings.defaults().withCgroupParent("sluice-test-" + UUID.randomUUID().toString().substring(0, 8))
                .withQuitGrace(Duration.ofMillis(500));
        isolation = newIsolation();
    }

    RuncIsolation newIsolation() {
        return new RuncIsolation(root.resolve("state"), RuncIsolation.DEFAULT_RUNC, RuncIsolation.DEFAULT_TINI,
                settings);
    }

    /** Stops and forgets every process, then checks that nothing is left; cleans up even when a check fails. */
    @AfterEach
    void stopEverything() throws Exception {
        if (isolation == null) {
            return;
        }
        List<ProcessKey> known = isolation.listKnown();
        try {
            for (ProcessKey key : known) {
                isolation.adopt(key.workerId(), key.processName(), OutputListener.DISCARD)
                        .ifPresent(p -> p.stop().orTimeout(30, TimeUnit.SECONDS).join());
            }
            for (ProcessKey key : known) {
                assertNoProcessLeft(key);
            }
            assertThat(hostProcessesInCgroup("/" + settings.cgroupParent() + "/")).as("host processes left").isEmpty();
        } finally {
            for (ProcessKey key : known) {
                isolation.forget(key.workerId(), key.processName());
            }
            isolation.close();
        }
        List<Path> leftCgroups = new ArrayList<>();
        // v1 and hybrid: a hierarchy per controller under /sys/fs/cgroup; v2: /sys/fs/cgroup itself.
        List<Path> hierarchies = new ArrayList<>(List.of(Path.of("/sys/fs/cgroup")));
        try (var mounted = Files.list(Path.of("/sys/fs/cgroup"))) {
            hierarchies.addAll(mounted.filter(Files::isDirectory).toList());
        }
        for (Path hierarchy : hierarchies) {
            Path parent = hierarchy.resolve(settings.cgroupParent());
            if (Files.isDirectory(parent)) {
                try (var tree = Files.walk(parent)) {
                    for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                        if (!dir.equals(parent)) {
                            leftCgroups.add(dir);
                        }
                        Files.deleteIfExists(dir);
                    }
                }
            }
        }
        assertThat(leftCgroups).as("cgroups the isolation left behind").isEmpty();
    }

    TestJob job(String jobId) {
        return TestJob.in(root, jobId);
    }

    /** pids.current of the container is 0 (or its cgroup is gone), and no host process is in its cgroup. */
    void assertNoProcessLeft(ProcessKey key) throws IOException {
        assertThat(isolation.pidsCurrent(key).orElse(0)).as("pids.current of %s", key).isZero();
        String cgroup = isolation.cgroupPathOf(key);
        assertThat(cgroup).as("the record of %s", key).isNotNull();
        assertThat(hostProcessesInCgroup(cgroup)).as("host processes in cgroup %s", cgroup).isEmpty();
    }

    /** Host processes (pid and name) whose cgroup path, in any hierarchy, contains {@code path}. */
    static List<String> hostProcessesInCgroup(String path) throws IOException {
        List<String> inOurCgroups = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (ProcFiles.read(proc.resolve("cgroup")).contains(path)) {
                        inOurCgroups.add(proc.getFileName() + " " + ProcFiles.read(proc.resolve("comm")).strip());
                    }
                } catch (IOException gone) {
                    // the process exited meanwhile
                }
            }
        }
        return inOurCgroups;
    }
}
