package io.sluice.runner.edge.commands;

import io.sluice.events.logs.LogStream;
import io.sluice.runner.store.isolation.process.LogOffsets;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.publish.logs.JobLogBudget;
import io.sluice.runner.publish.logs.LogShipper;
import io.sluice.runner.publish.logs.ProcessLog;
import io.sluice.runner.publish.logs.ShippingJournal;
import io.sluice.runner.publish.logs.ShippingJournal.Position;
import io.sluice.runner.store.WorkerRecords;
import io.sluice.runner.store.WorkerRecords.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects each process's output to its job's log shipper and to the journal of what was shipped; a job's processes
 * share one log cap, which counts what earlier runners shipped too.
 */
public final class ProcessOutputs {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessOutputs.class);

    /** Makes a log shipper for one worker's job. */
    @FunctionalInterface
    public interface LogShipperFactory {
        LogShipper create(String jobId, String workerId, JobLogBudget budget);
    }

    private final WorkerRecords store;
    private final LogShipperFactory factory;
    private final long capBytes;
    private final Map<String, LogShipper> shippers = new ConcurrentHashMap<>();
    private final Map<ProcessKey, ProcessLog> logs = new ConcurrentHashMap<>();

    public ProcessOutputs(WorkerRecords store, LogShipperFactory factory, long capBytes) {
        this.store = store;
        this.factory = factory;
        this.capBytes = capBytes;
    }

    /** The output of a process launched by {@code launchCommandId}, going on from what was shipped of it before. */
    ProcessLog open(Worker worker, String process, String launchCommandId) {
        LogShipper shipper = shippers.computeIfAbsent(worker.workerId(), id -> factory.create(worker.jobId(),
                worker.workerId(), budgetOf(worker)));
        ProcessLog log = shipper.process(process, launchCommandId,
                ShippingJournal.at(store.shippingJournalOf(worker, process)));
        logs.put(new ProcessKey(worker.workerId(), process), log);
        return log;
    }

    static OutputListener listenerOf(ProcessLog log) {
        return new OutputListener() {
            @Override
            public void output(String processName, OutputStream stream, byte[] bytes) {
                log.output(LogStream.valueOf(stream.name()), bytes);
            }

            @Override
            public void logDirectoryFull(String processName, long quotaBytes) {
                log.logDirectoryFull(LogStream.STDERR, quotaBytes);
            }
        };
    }

    static LogOffsets resumeOffsetsOf(ProcessLog log) {
        return new LogOffsets(log.resumeFrom().stdoutOffset(), log.resumeFrom().stderrOffset());
    }

    /** The process's exit is reported: its output is all shipped. */
    void finished(ProcessKey key) {
        ProcessLog log = logs.remove(key);
        if (log != null) {
            log.retire();
        }
    }

    void forget(String workerId) {
        logs.keySet().stream().filter(key -> key.workerId().equals(workerId)).toList().forEach(this::finished);
        shippers.remove(workerId);
    }

    public void checkpointAll() {
        logs.forEach((key, log) -> {
            try {
                log.checkpoint();
            } catch (RuntimeException e) {
                LOG.warn("cannot checkpoint the shipped output of {}: {}", key, e.toString());
            }
        });
    }

    /** The runner stops: output that arrives from now on is shipped by the next runner. */
    public void stopAccepting() {
        logs.values().forEach(ProcessLog::stopAccepting);
    }

    /** The cap left for a worker's job: what its processes' journals say was shipped counts against it. */
    private JobLogBudget budgetOf(Worker worker) {
        long taken = 0;
        boolean exhausted = false;
        try {
            for (String process : store.processesOf(worker)) {
                Position sent = ShippingJournal.at(store.shippingJournalOf(worker, process)).load().sent();
                taken += sent.takenBytes();
                exhausted |= sent.truncated();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what was shipped of worker " + worker.workerId(), e);
        }
        return new JobLogBudget(capBytes, taken, exhausted);
    }
}
