package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.jobs.domain.JobSagaInputs;
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
        return JobSagaInputs.isInput(envelope.getPayload());
    }

    @Override
    public void beforeBatch(List<ConsumedEvent<NodeEventEnvelope>> events, HandlerContext context) throws Exception {
        saga.lockJobsOf(events, context);
    }

    @Override
    public void handle(ConsumedEvent<NodeEventEnvelope> event, HandlerContext context) throws Exception {
        Object payload = event.envelope().getPayload();
        String jobId = JobSagaInputs.jobIdOf(payload).orElseThrow(
                () -> new IllegalArgumentException("not a process event: " + payload));
        saga.onJob(context, jobId, job -> JobSagaInputs.decide(job, payload));
    }
}
