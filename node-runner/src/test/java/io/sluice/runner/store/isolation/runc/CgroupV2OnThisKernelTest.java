package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.runner.store.isolation.process.HostUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 core files (cgroup.procs, cgroup.kill, rmdir) for real, on the kernel's cgroup2 mount: the unified
 * hierarchy of this cgroup v1 hybrid host (/sys/fs/cgroup/unified, which has none of the jobs' controllers, so
 * pids.current, memory.events and memory.peak are covered by {@code CgroupV2Test}'s recorded tree only), or
 * /sys/fs/cgroup on a v2 host.
 */
class CgroupV2OnThisKernelTest {

    private final List<Process> sleepers = new ArrayList<>();
    private Path mount;
    private String name;

    @AfterEach
    void cleanUp() throws IOException {
        sleepers.forEach(Process::destroyForcibly);
        if (mount != null && Files.isDirectory(mount.resolve(name))) {
            try (var tree = Files.walk(mount.resolve(name))) {
                for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(dir);
                }
            }
        }
    }

    @Test
    void processes_of_a_cgroup_and_its_descendants_are_listed_killed_at_once_and_their_cgroups_removed()
            throws Exception {
        mount = cgroup2Mount();
        assumeTrue(mount != null, "no cgroup2 hierarchy is mounted on this host");
        assumeTrue(HostUser.euid() == 0, "moving processes between cgroups needs root");
        name = "sluice-v2-test-" + UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(mount.resolve(name).resolve("c/sub"));
        Process top = sleeper(mount.resolve(name).resolve("c"));
        Process nested = sleeper(mount.resolve(name).resolve("c/sub"));
        CgroupV2 cgroups = new CgroupV2(mount);
        String container = "/" + name + "/c";

        assertThat(cgroups.processes(container)).containsExactlyInAnyOrder(top.pid(), nested.pid());
        assertThat(cgroups.pidsCurrent(container)).hasValue(2);
        assertThat(cgroups.remove(container)).as("the kernel refuses a cgroup with processes").isFalse();
        assertThat(mount.resolve(name).resolve("c")).isDirectory();

        assertThat(cgroups.kill(container)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !top.isAlive() && !nested.isAlive());
        await().atMost(Duration.ofSeconds(10)).until(() -> cgroups.remove(container));
        assertThat(mount.resolve(name).resolve("c")).doesNotExist();
        assertThat(cgroups.pidsCurrent(container)).isEmpty();
        cgroups.removeIfEmpty("/" + name);
        assertThat(mount.resolve(name)).doesNotExist();
    }

    private Process sleeper(Path cgroup) throws IOException {
        Process process = new ProcessBuilder("sleep", "600").start();
        sleepers.add(process);
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(process.pid()));
        return process;
    }

    /** /sys/fs/cgroup on a v2 host, /sys/fs/cgroup/unified on a hybrid one; null without a cgroup2 mount. */
    private static Path cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            int separator = line.indexOf(" - ");
            if (separator > 0 && line.substring(separator + 3).startsWith("cgroup2 ")) {
                return Path.of(line.substring(0, separator).split(" ")[4]);
            }
        }
        return null;
    }
}
