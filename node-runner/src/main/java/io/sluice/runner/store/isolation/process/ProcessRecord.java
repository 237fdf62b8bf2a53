package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.domain.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** What the node remembers on disk about one launched process, enough to adopt it after a restart. */
public record ProcessRecord(
        String workerId,
        String processName,
        String jobId,
        IsolationMode mode,
        String containerId,
        String cgroupPath,
        String stdoutLog,
        String stderrLog,
        long stdoutStart,
        long stderrStart,
        String startedAt,
        StopSignal shutdownSignal,
        long stopGraceMillis) {

    public ProcessKey key() {
        return new ProcessKey(workerId, processName);
    }

    public Instant started() {
        return Instant.parse(startedAt);
    }

    public Duration stopGrace() {
        return Duration.ofMillis(stopGraceMillis);
    }

    public Path logOf(OutputStream stream) {
        return Path.of(stream == OutputStream.STDOUT ? stdoutLog : stderrLog);
    }

    public long logStartOf(OutputStream stream) {
        return stream == OutputStream.STDOUT ? stdoutStart : stderrStart;
    }

    /** As process.json holds it; {@link ProcessStateJson#MAPPER} reads it back. */
    public String toJson() {
        return new ProcessStateJsonWriter().beginObject()
                .name("workerId").value(workerId)
                .name("processName").value(processName)
                .name("jobId").value(jobId)
                .name("mode").value(mode.name())
                .name("containerId").value(containerId)
                .name("cgroupPath").value(cgroupPath)
                .name("stdoutLog").value(stdoutLog)
                .name("stderrLog").value(stderrLog)
                .name("stdoutStart").value(stdoutStart)
                .name("stderrStart").value(stderrStart)
                .name("startedAt").value(startedAt)
                .name("shutdownSignal").value(shutdownSignal.name())
                .name("stopGraceMillis").value(stopGraceMillis)
                .endObject().toString();
    }
}
