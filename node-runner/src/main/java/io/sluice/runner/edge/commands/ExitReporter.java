package io.sluice.runner.edge.commands;

import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessLost;
import io.sluice.runner.store.isolation.process.ProcessIsolation;
import io.sluice.runner.publish.NodeEventPublisher;
import io.sluice.runner.publish.NodeMetrics;
import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.WorkerRecords;
import io.sluice.runner.store.WorkerRecords.Worker;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports each watched process's exit as ProcessExited, caused by the command that launched it, retrying until the
 * broker has it: an exit that is never reported would leave its job running forever.
 */
public final class ExitReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExitReporter.class);

    private final String nodeId;
    private final WorkerRecords store;
    private final ProcessTable table;
    private final NodeEventPublisher events;
    private final ProcessIsolation isolation;
    private final ProcessOutputs outputs;
    private final Clock clock;
    private final NodeMetrics metrics;
    private final RetryUntilDone reporters = new RetryUntilDone("exit-reporter", LOG);

    public ExitReporter(String nodeId, WorkerRecords store, ProcessTable table, NodeEventPublisher events,
                        ProcessIsolation isolation, ProcessOutputs outputs, Clock clock, NodeMetrics metrics) {
        this.nodeId = nodeId;
        this.store = store;
        this.table = table;
        this.events = events;
        this.isolation = isolation;
        this.outputs = outputs;
        this.clock = clock;
        this.metrics = metrics;
    }

    void watch(Worker worker, String process, RunningProcess running, String launchCommandId) {
        ProcessKey key = new ProcessKey(worker.workerId(), process);
        table.watch(key, running);
        running.exit().whenCompleteAsync((exit, failure) -> report(worker, process, launchCommandId,
                failure == null ? exit : null), reporters.executor());
    }

    private void report(Worker worker, String process, String launchCommandId, ProcessExit exit) {
        ProcessKey key = new ProcessKey(worker.workerId(), process);
        SpecificRecord outcome = exit == null || exit.lost() ? lost(worker, process) : exited(worker, process, exit);
        if (exit != null && exit.oomKilled()) {
            metrics.oomKilled();
        }
        reporters.retry("report the exit of " + process + " on worker " + worker.workerId(), () -> {
            events.publish(worker.jobId(), launchCommandId, outcome);
            store.recordExitReported(worker, process);
            outputs.finished(key);
            isolation.forget(worker.workerId(), process);
            table.reported(key);
        });
    }

    private ProcessLost lost(Worker worker, String process) {
        return ProcessLost.newBuilder().setNodeId(nodeId).setWorkerId(worker.workerId()).setJobId(worker.jobId())
                .setProcess(process).setReason("the process is gone and nothing recorded how it ended").build();
    }

    private ProcessExited exited(Worker worker, String process, ProcessExit exit) {
        return ProcessExited.newBuilder()
                .setNodeId(nodeId)
                .setWorkerId(worker.workerId())
                .setJobId(worker.jobId())
                .setProcess(process)
                .setExitCode(exit.exitCode())
                .setSignal(exit.signal())
                .setOomKilled(exit.oomKilled())
                .setStopRequested(store.stopRequestOf(worker, process).isPresent())
                .setDurationMillis(exit.duration() == null ? 0 : exit.duration().toMillis())
                .setPeakMemoryBytes(exit.peakMemoryBytes())
                .setExitedAt(clock.instant())
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        reporters.close();
    }
}
