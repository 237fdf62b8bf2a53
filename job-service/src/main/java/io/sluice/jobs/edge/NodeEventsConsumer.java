package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessLaunchFailed;
import io.sluice.events.node.ProcessLost;
import io.sluice.events.node.ProcessStarted;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.util.List;

/** Hands what node runners report of a job's processes to the job's saga; worker events are the factory's. */
@Singleton
public final class NodeEventsConsumer implements EventHandler<NodeEventEnvelope> {

    private final RunJobSaga saga;

    public NodeEventsConsumer(RunJobSaga saga) {
        this.saga = saga;
    }

    @Override
    public Topic topic() {
        return Topic.NODE_EVENTS;
    }

    @Override
    public String consumerName() {
        return "job-service.nodes";
    }

    /** A job's processes only: worker reports (half of the topic) are passed over without a transaction. */
    @Override
    public boolean concerns(NodeEventEnvelope envelope) {
        return envelope.getPayload() instanceof ProcessStarted || envelope.getPayload() instanceof ProcessExited
                || envelope.getPayload() instanceof ProcessLaunchFailed || envelope.getPayload() instanceof ProcessLost;
    }

    @Override
    public void beforeBatch(List<ConsumedEvent<NodeEventEnvelope>> events, HandlerContext context) throws Exception {
        saga.lockJobsOf(events, context);
    }

    @Override
    public void handle(ConsumedEvent<NodeEventEnvelope> event, HandlerContext context) throws Exception {
        switch (event.envelope().getPayload()) {
            case ProcessStarted started -> saga.onJob(context, started.getJobId(), job -> job.processStarted(
                    started.getNodeId(), started.getWorkerId(), started.getProcess(), started.getPid(),
                    started.getStartedAt()));
            case ProcessExited exited -> saga.onJob(context, exited.getJobId(), job -> job.processExited(
                    exited.getNodeId(), exited.getWorkerId(), exited.getProcess(), exited.getExitCode(),
                    exited.getSignal(), exited.getOomKilled(), exited.getDurationMillis()));
            case ProcessLaunchFailed failed -> saga.onJob(context, failed.getJobId(), job -> job.processFailedToRun(
                    failed.getNodeId(), failed.getWorkerId(), failed.getProcess(), failed.getReason()));
            case ProcessLost lost -> saga.onJob(context, lost.getJobId(), job -> job.processFailedToRun(
                    lost.getNodeId(), lost.getWorkerId(), lost.getProcess(), "lost by its node: " + lost.getReason()));
            default -> throw new IllegalArgumentException("not a process event: " + event.envelope().getPayload());
        }
    }
}
