package io.sluice.runner.edge.commands;

import io.sluice.events.node.LaunchProcess;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.domain.WorkerDirectories;
import io.sluice.runner.store.WorkerRecords.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Translates a LaunchProcess command into what the isolation layer runs. */
final class LaunchSpecs {

    private LaunchSpecs() {
    }

    /**
     * The process of {@code command} in {@code worker}, with its resources' variables ({@code resourceEnvironment})
     * over the job's own: every process of a worker sees its resources alike.
     */
    static ProcessSpec specOf(LaunchProcess command, Worker worker, Path logs,
                              Map<String, String> resourceEnvironment) {
        io.sluice.events.ProcessLimits limits = command.getLimits();
        Map<String, String> env = new LinkedHashMap<>(command.getEnv());
        env.putAll(resourceEnvironment);
        return new ProcessSpec(
                worker.jobId(),
                worker.workerId(),
                command.getProcess(),
                command.getArgv(),
                env,
                command.getWorkdir(),
                new ProcessLimits(limits.getMemoryBytes(), limits.getPids(), limits.getOpenFiles(),
                        limits.getCpuShares()),
                StopSignal.valueOf(command.getShutdownSignal().name()),
                Duration.ofMillis(command.getStopGraceMillis()),
                new WorkerDirectories(worker.data(), worker.tmp(), logs, worker.store(),
                        Files.isDirectory(worker.resources()) ? worker.resources() : null),
                worker.networkNamespace());
    }
}
