package io.sluice.runner.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.isolation.IsolationMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where a runner keeps its processes' state: configured, or a stable tmpfs directory per state dir under runc. */
class RuntimeRootTest {

    @Test
    void a_configured_runtime_dir_is_used_as_it_is() {
        assertThat(RuntimeRoot.of(Path.of("/run/mine"), IsolationMode.RUNC, Path.of("/var/lib/sluice")))
                .isEqualTo(Path.of("/run/mine"));
    }

    @Test
    void with_runc_each_state_dir_gets_its_own_stable_directory_under_run() {
        Path first = RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice"));
        assertThat(first.getParent()).isEqualTo(RuntimeRoot.RUN);
        assertThat(first.getFileName().toString()).matches("[0-9a-f]{16}");
        assertThat(RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/./sluice"))).isEqualTo(first);
        assertThat(RuntimeRoot.of(null, IsolationMode.RUNC, Path.of("/var/lib/sluice-2"))).isNotEqualTo(first);
    }

    @Test
    void without_isolation_the_processes_state_stays_beside_the_rest() {
        assertThat(RuntimeRoot.of(null, IsolationMode.NONE, Path.of("/home/me/state")))
                .isEqualTo(Path.of("/home/me/state/isolation"));
    }
}
