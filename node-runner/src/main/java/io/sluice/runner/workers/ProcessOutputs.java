package io.sluice.runner.workers;

import io.sluice.events.logs.LogStream;
import io.sluice.runner.isolation.OutputListener;
import io.sluice.runner.logs.JobLogBudget;
import io.sluice.runner.logs.LogShipper;
import io.sluice.runner.state.WorkerStore.Worker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Connects each process's output to its job's log shipper; a job's processes share one log cap. */
final class ProcessOutputs {

    private final Function<Worker, LogShipper> shipperForWorker;
    private final Map<String, LogShipper> shippers = new ConcurrentHashMap<>();

    ProcessOutputs(Function<Worker, LogShipper> shipperForWorker) {
        this.shipperForWorker = shipperForWorker;
    }

    static Function<Worker, LogShipper> shippers(LogShipperFactory factory, long capBytes) {
        return worker -> factory.create(worker.jobId(), worker.workerId(), new JobLogBudget(capBytes));
    }

    /** Makes a log shipper for one worker's job. */
    @FunctionalInterface
    interface LogShipperFactory {
        LogShipper create(String jobId, String workerId, JobLogBudget budget);
    }

    OutputListener listenerFor(Worker worker, String process) {
        LogShipper.ProcessLog log = shippers.computeIfAbsent(worker.workerId(), id -> shipperForWorker.apply(worker))
                .process(process);
        return (processName, stream, bytes) -> log.output(LogStream.valueOf(stream.name()), bytes);
    }

    void forget(String workerId) {
        shippers.remove(workerId);
    }
}
