package io.sluice.runner.edge.commands;

import io.sluice.events.node.WorkerDestroyed;
import io.sluice.runner.publish.NodeEventPublisher;
import io.sluice.runner.store.isolation.network.WorkerNetworks;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.WorkerRecords;
import io.sluice.runner.store.WorkerRecords.StopRequest;
import io.sluice.runner.store.WorkerRecords.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destroys workers in the background, so that a long stop grace holds up no other command: stops each of the
 * worker's processes with its own ladder and, once every exit is reported, removes the workspace (the processes'
 * stdout and stderr files stay, nothing else of the job's log directory) and its network, and reports
 * WorkerDestroyed. A destroy that a crash interrupted is begun again by the next runner.
 */
public final class DestroyWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DestroyWorkers.class);

    private final String nodeId;
    private final WorkerRecords store;
    private final ProcessTable table;
    private final ProcessOutputs outputs;
    private final NodeEventPublisher events;
    private final WorkerNetworks networks;
    private final RetryUntilDone finishers = new RetryUntilDone("worker-destroyer", LOG);

    public DestroyWorkers(String nodeId, WorkerRecords store, ProcessTable table, ProcessOutputs outputs,
                          NodeEventPublisher events, WorkerNetworks networks) {
        this.nodeId = nodeId;
        this.store = store;
        this.table = table;
        this.outputs = outputs;
        this.events = events;
        this.networks = networks;
    }

    /** Begins destroying a worker whose destroy by {@code commandId} is recorded; returns at once. */
    void begin(Worker worker, String commandId) throws Exception {
        for (RunningProcess process : table.ofWorker(worker.workerId())) {
            String name = process.key().processName();
            if (store.stopRequestOf(worker, name).isEmpty()) {
                store.recordStopRequested(worker, name, new StopRequest(null, null));
            }
            process.stop();
        }
        table.allReported(worker.workerId()).thenRunAsync(() -> finish(worker, commandId), finishers.executor());
    }

    /** Reports the worker destroyed once its workspace is gone; until then its record says it is being destroyed. */
    private void finish(Worker worker, String commandId) {
        finishers.retry("finish destroying worker " + worker.workerId(), () -> {
            store.releaseJobLogs(worker);
            store.removeWorkspace(worker);
            networks.remove(worker.workerId()); // no process of it is left in its namespace
            outputs.forget(worker.workerId());
            events.publish(worker.jobId(), commandId, WorkerDestroyed.newBuilder().setNodeId(nodeId)
                    .setWorkerId(worker.workerId()).setJobId(worker.jobId()).build());
            store.destroyed(worker);
            LOG.info("destroyed worker {} of job {}", worker.workerId(), worker.jobId());
        });
    }

    @Override
    public void close() throws InterruptedException {
        finishers.close();
    }
}
