package io.sluice.runner.store.isolation.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.domain.ExitStatus;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.runc.RuncIsolation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit statuses, identifiers and the availability check. */
class SmallPartsTest {

    @Test
    void a_status_above_128_names_the_signal() {
        assertThat(ExitStatus.signalOf(137)).isEqualTo("KILL");
        assertThat(ExitStatus.signalOf(143)).isEqualTo("TERM");
        assertThat(ExitStatus.signalOf(131)).isEqualTo("QUIT");
        assertThat(ExitStatus.signalOf(0)).isNull();
        assertThat(ExitStatus.signalOf(128)).isNull();
        assertThat(ExitStatus.signalOf(255)).isNull();
        assertThat(ExitStatus.signalOf(null)).isNull();
    }

    @Test
    void container_ids_are_stable_safe_and_distinct() {
        String id = ContainerIds.containerId(new ProcessKey("worker/1", "web"));
        assertThat(id).matches("[\\w+.-]+").isEqualTo(ContainerIds.containerId(new ProcessKey("worker/1", "web")));
        assertThat(ContainerIds.containerId(new ProcessKey("worker_1", "web"))).isNotEqualTo(id);
        assertThat(ContainerIds.hostname("job_1.a")).isEqualTo("job-1-a");
        assertThat(ContainerIds.hostname("x".repeat(100))).hasSize(63);
    }

    @Test
    void a_process_record_reads_back_as_it_was_written(@TempDir Path dir) {
        ProcessRecord record = new ProcessRecord("worker \"1\"", "web", "job-1", IsolationMode.NONE, "sl-id", null,
                "/logs/a\\b.log", "/logs/err.log", 12, 0, "2026-11-22T05:00:00Z", StopSignal.INT, 20_000);
        ProcessStateDir state = new ProcessStateDir(dir);

        state.writeRecord(record);

        assertThat(state.readRecord()).contains(record);
    }

    @Test
    void a_missing_runc_is_explained() {
        Availability availability = RuncIsolation.available(Path.of("/nonexistent/runc"), RuncIsolation.DEFAULT_TINI);

        assertThat(availability.available()).isFalse();
        assertThat(availability.reason()).contains("/nonexistent/runc").contains("none");
    }
}
