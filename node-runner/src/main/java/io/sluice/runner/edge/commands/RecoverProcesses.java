package io.sluice.runner.edge.commands;

import io.sluice.events.node.ProcessLost;
import io.sluice.runner.publish.NodeEventPublisher;
import io.sluice.runner.store.isolation.process.ProcessIsolation;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.publish.logs.ProcessLog;
import io.sluice.runner.store.WorkerRecords;
import io.sluice.runner.store.WorkerRecords.Worker;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart, accounts for every process the runner had launched: a process still running (or exited while
 * the runner was away) is watched again, its output shipped on from the last checkpoint, a stop asked for is
 * carried on and its exit reported; one that left no trace is reported lost. Destroys under way are begun again.
 * No process is left running unaccounted.
 */
public final class RecoverProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(RecoverProcesses.class);

    private final String nodeId;
    private final WorkerRecords store;
    private final ProcessIsolation isolation;
    private final NodeEventPublisher events;
    private final ExitReporter exits;
    private final ProcessOutputs outputs;
    private final DestroyWorkers destroyer;

    public RecoverProcesses(String nodeId, WorkerRecords store, ProcessIsolation isolation, NodeEventPublisher events,
                            ExitReporter exits, ProcessOutputs outputs, DestroyWorkers destroyer) {
        this.nodeId = nodeId;
        this.store = store;
        this.isolation = isolation;
        this.events = events;
        this.exits = exits;
        this.outputs = outputs;
        this.destroyer = destroyer;
    }

    public void recover() throws Exception {
        for (Worker worker : store.all()) {
            for (String process : store.processesOf(worker)) {
                if (!store.exitReported(worker, process)) {
                    recover(worker, process, store.launchCommandOf(worker, process).orElseThrow());
                }
            }
            Optional<String> destroy = store.destroyCommandOf(worker);
            if (destroy.isPresent()) {
                LOG.info("goes on destroying worker {} (job {})", worker.workerId(), worker.jobId());
                destroyer.begin(worker, destroy.get());
            }
        }
    }

    private void recover(Worker worker, String process, String launchCommandId) throws Exception {
        ProcessLog log = outputs.open(worker, process, launchCommandId);
        Optional<RunningProcess> adopted = isolation.adopt(worker.workerId(), process,
                ProcessOutputs.listenerOf(log), ProcessOutputs.resumeOffsetsOf(log));
        if (adopted.isPresent()) {
            LOG.info("adopted process {} of worker {} (job {}), shipping its output from {}", process,
                    worker.workerId(), worker.jobId(), ProcessOutputs.resumeOffsetsOf(log));
            exits.watch(worker, process, adopted.get(), launchCommandId);
            store.stopRequestOf(worker, process).ifPresent(request -> StopRequests.stop(adopted.get(), request));
            return;
        }
        outputs.finished(new ProcessKey(worker.workerId(), process));
        LOG.warn("process {} of worker {} (job {}) left no trace: reporting it lost", process, worker.workerId(),
                worker.jobId());
        events.publish(worker.jobId(), launchCommandId, ProcessLost.newBuilder().setNodeId(nodeId)
                .setWorkerId(worker.workerId()).setJobId(worker.jobId()).setProcess(process)
                .setReason("the node runner restarted and found neither the process nor its exit status")
                .build());
        store.recordExitReported(worker, process);
    }
}
