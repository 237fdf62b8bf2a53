package io.sluice.runner.edge.commands;

import io.sluice.events.node.StopProcess;
import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.WorkerRecords.StopRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Translates a StopProcess command into a stop request, and a stop request into a stop of a running process. */
final class StopRequests {

    private StopRequests() {
    }

    static StopRequest of(StopProcess command) {
        return new StopRequest(command.getSignal() == null ? null : command.getSignal().name(),
                command.getGraceMillis());
    }

    /** Stops the process; what the request leaves null is what the process was launched with. */
    static CompletableFuture<ProcessExit> stop(RunningProcess process, StopRequest request) {
        return process.stop(request.signal() == null ? null : StopSignal.valueOf(request.signal()),
                request.graceMillis() == null ? null : Duration.ofMillis(request.graceMillis()));
    }
}
