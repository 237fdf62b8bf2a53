package io.sluice.runner.edge.commands;

import io.sluice.events.node.LaunchProcess;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.domain.WorkerDirectories;
import io.sluice.runner.store.WorkerRecords.Worker;
import java.nio.file.Path;
import java.time.Duration;

/** Translates a LaunchProcess command into what the isolation layer runs. */
final class LaunchSpecs {

    private LaunchSpecs() {
    }

    static ProcessSpec specOf(LaunchProcess command, Worker worker, Path logs) {
        io.sluice.events.ProcessLimits limits = command.getLimits();
        return new ProcessSpec(
                worker.jobId(),
                worker.workerId(),
                command.getProcess(),
                command.getArgv(),
                command.getEnv(),
                command.getWorkdir(),
                new ProcessLimits(limits.getMemoryBytes(), limits.getPids(), limits.getOpenFiles(),
                        limits.getCpuShares()),
                StopSignal.valueOf(command.getShutdownSignal().name()),
                Duration.ofMillis(command.getStopGraceMillis()),
                new WorkerDirectories(worker.data(), worker.tmp(), logs, worker.store(), null));
    }
}
