package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessExit;
import java.time.Duration;

/** {@link ProcessExit} as stored on disk, so that an exit observed once is reported the same after a restart. */
public record ExitRecord(Integer exitCode, String signal, boolean oomKilled, long durationMillis,
                         Long peakMemoryBytes) {

    public static ExitRecord of(ProcessExit exit) {
        return new ExitRecord(exit.exitCode(), exit.signal(), exit.oomKilled(), exit.duration().toMillis(),
                exit.peakMemoryBytes());
    }

    public ProcessExit toExit() {
        return new ProcessExit(exitCode, signal, oomKilled, Duration.ofMillis(durationMillis), peakMemoryBytes);
    }
}
