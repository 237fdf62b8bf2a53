package io.sluice.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.domain.IsolationMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where a runner keeps its processes' state: configured, or a stable directory per state dir on the host's tmpfs
 * under runc.
 */
class RuntimeRootTest {

    @Test
    void a_configured_runtime_dir_is_used_as_it_is() {
        assertThat(RuntimeRoot.of(Path.of("/run/mine"), IsolationMode.RUNC, Path.of("/var/lib/sluice")))
                .isEqualTo(Path.of("/run/mine"));
    }

    @Test
    void with_runc_each_state_dir_gets_its_own_stable_directory_under_run() {
        Path first = RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice"), tmpfs("/run", "/dev/shm"));
        assertThat(first.getParent()).isEqualTo(RuntimeRoot.RUN);
        assertThat(first.getFileName().toString()).matches("[0-9a-f]{16}");
        assertThat(RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/./sluice"), tmpfs("/run")))
                .isEqualTo(first);
        assertThat(RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice-2"), tmpfs("/run")))
                .isNotEqualTo(first);
    }

    @Test
    void where_run_is_plain_disk_the_directory_goes_to_dev_shm_and_to_run_when_neither_is_a_tmpfs() {
        Path underRun = RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice"), tmpfs("/run"));

        Path onShm = RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice"), tmpfs("/dev/shm"));
        Path onDisk = RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice"), tmpfs());

        assertThat(onShm).isEqualTo(RuntimeRoot.SHM.resolve(underRun.getFileName()));
        assertThat(onDisk).isEqualTo(underRun);
    }

    @Test
    void the_host_tells_which_directories_are_on_a_tmpfs() {
        assertThat(RuntimeRoot.isTmpfs(Path.of("/no/such/dir"))).isFalse();
        assertThat(RuntimeRoot.isTmpfs(Path.of("/proc"))).as("procfs").isFalse();
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "a Linux host with /dev/shm");
        assertThat(RuntimeRoot.isTmpfs(Path.of("/dev/shm"))).isTrue();
        assertThat(RuntimeRoot.onTmpfs(Path.of("/dev/shm/not-yet/created"))).as("where it would be created").isTrue();
    }

    private static Predicate<Path> tmpfs(String... dirs) {
        return dir -> Arrays.stream(dirs).map(Path::of).anyMatch(dir::equals);
    }

    @Test
    void without_isolation_the_processes_state_stays_beside_the_rest() {
        assertThat(RuntimeRoot.of(null, IsolationMode.NONE, Path.of("/home/me/state")))
                .isEqualTo(Path.of("/home/me/state/isolation"));
    }
}
