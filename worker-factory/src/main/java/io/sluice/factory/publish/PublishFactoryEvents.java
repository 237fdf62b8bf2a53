package io.sluice.factory.publish;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.worker.FirstLaunch;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerEventEnvelope;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerLost;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.factory.domain.FactoryEvent;
import io.sluice.factory.domain.Worker;
import io.sluice.schemas.Topic;
import java.sql.SQLException;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns the factory's decisions into events in the outbox of the deciding transaction: worker events to job-service
 * (key: job id), commands to node runners (key: node id); every one correlated with its job.
 */
public final class PublishFactoryEvents {

    private PublishFactoryEvents() {
    }

    public static void publishAll(HandlerContext context, List<FactoryEvent> events) throws SQLException {
        for (FactoryEvent event : events) {
            publish(context, event);
        }
    }

    public static void publish(HandlerContext context, FactoryEvent event) throws SQLException {
        switch (event) {
            case FactoryEvent.Preparing preparing -> {
                Worker worker = preparing.worker();
                toJob(context, worker.jobId(), WorkerPreparing.newBuilder().setJobId(worker.jobId())
                        .setAttempt(worker.attempt()).setWorkerId(worker.workerId()).setNodeId(worker.nodeId())
                        .setTarget(worker.target()).build());
            }
            case FactoryEvent.Assigned assigned -> {
                Worker worker = assigned.worker();
                toJob(context, worker.jobId(), WorkerAssigned.newBuilder().setJobId(worker.jobId())
                        .setAttempt(worker.attempt()).setWorkerId(worker.workerId()).setNodeId(worker.nodeId())
                        .setTarget(worker.target()).build());
            }
            case FactoryEvent.Failed failed -> toJob(context, failed.jobId(), WorkerFailed.newBuilder()
                    .setJobId(failed.jobId()).setAttempt(failed.attempt()).setWorkerId(failed.workerId())
                    .setNodeId(failed.nodeId()).setReason(failed.reason()).build());
            case FactoryEvent.Lost lost -> {
                Worker worker = lost.worker();
                toJob(context, worker.jobId(), WorkerLost.newBuilder().setJobId(worker.jobId())
                        .setAttempt(worker.attempt()).setWorkerId(worker.workerId()).setNodeId(worker.nodeId())
                        .setReason(lost.reason()).setLastHeartbeatAt(lost.lastHeartbeatAt()).build());
            }
            case FactoryEvent.Released released -> {
                Worker worker = released.worker();
                toJob(context, worker.jobId(), WorkerReleased.newBuilder().setJobId(worker.jobId())
                        .setWorkerId(worker.workerId()).setNodeId(worker.nodeId()).build());
            }
            case FactoryEvent.Destroy destroy -> toNode(context, destroy.nodeId(), destroy.jobId(),
                    DestroyWorker.newBuilder().setNodeId(destroy.nodeId()).setWorkerId(destroy.workerId())
                            .setJobId(destroy.jobId()).setReason(destroy.reason()).build());
        }
    }

    /**
     * Tells the worker's node to prepare it with what the job demanded (inputs, resources, store, network, owner,
     * target)
     * and, when the demand carries the job's first launch, to launch it right after: the node applies a worker's
     * commands in the order they are on its partition, so the process starts as soon as the worker is prepared.
     */
    public static void prepareWorker(HandlerContext context, Worker worker, WorkerDemanded demand)
            throws SQLException {
        toNode(context, worker.nodeId(), worker.jobId(), PrepareWorker.newBuilder()
                .setNodeId(worker.nodeId())
                .setWorkerId(worker.workerId())
                .setJobId(worker.jobId())
                .setOwner(demand.getOwner())
                .setTarget(worker.target())
                .setInputs(demand.getInputs())
                .setResources(demand.getResources())
                .setPersistentStore(demand.getPersistentStore())
                .setNetwork(demand.getNetwork())
                .build());
        FirstLaunch launch = demand.getFirstLaunch();
        // Optional in the contract since v1's demands lacked it; job-service has always sent one since v2, and no
        // longer launches step 0 itself. Remove the branch with the field's optionality in a contract that drops v1.
        if (launch != null) {
            toNode(context, worker.nodeId(), worker.jobId(), LaunchProcess.newBuilder()
                    .setNodeId(worker.nodeId())
                    .setWorkerId(worker.workerId())
                    .setJobId(worker.jobId())
                    .setProcess(launch.getProcess())
                    .setArgv(launch.getArgv())
                    .setEnv(launch.getEnv())
                    .setWorkdir(launch.getWorkdir())
                    .setLimits(launch.getLimits())
                    .setCapabilities(launch.getCapabilities())
                    .setShutdownSignal(launch.getShutdownSignal())
                    .setStopGraceMillis(launch.getStopGraceMillis())
                    .build());
        }
    }

    private static void toJob(HandlerContext context, String jobId, SpecificRecord payload) throws SQLException {
        context.emit(Topic.WORKER_EVENTS, jobId, WorkerEventEnvelope.newBuilder()
                .setMetadata(context.causedMetadata(jobId)).setPayload(payload).build());
    }

    private static void toNode(HandlerContext context, String nodeId, String jobId, SpecificRecord payload)
            throws SQLException {
        context.emit(Topic.NODE_COMMANDS, nodeId, NodeCommandEnvelope.newBuilder()
                .setMetadata(context.causedMetadata(jobId)).setPayload(payload).build());
    }
}
