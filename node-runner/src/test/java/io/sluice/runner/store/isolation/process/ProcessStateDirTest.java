package io.sluice.runner.store.isolation.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.StopSignal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a process's state dir keeps reads back as it was written. */
class ProcessStateDirTest {

    @Test
    void a_process_record_reads_back_as_it_was_written(@TempDir Path dir) {
        ProcessRecord record = new ProcessRecord("worker \"1\"", "web", "job-1", IsolationMode.NONE, "sl-id", null,
                "/logs/a\\b.log", "/logs/err.log", 12, 0, "2026-11-22T05:00:00Z", StopSignal.INT, 20_000);
        ProcessStateDir state = new ProcessStateDir(dir);

        state.writeRecord(record);

        assertThat(state.readRecord()).contains(record);
    }
}
