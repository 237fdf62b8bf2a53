package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.resource.ResourceEventEnvelope;
import io.sluice.jobs.domain.JobSagaInputs;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.util.List;

/** Hands the resource wells' answers to the saga of the job they concern. */
@Singleton
public final class ResourceEventsConsumer implements EventHandler<ResourceEventEnvelope> {

    private final RunJobSaga saga;

    public ResourceEventsConsumer(RunJobSaga saga) {
        this.saga = saga;
    }

    @Override
    public Topic topic() {
        return Topic.RESOURCE_EVENTS;
    }

    @Override
    public String consumerName() {
        return "job-service.resources";
    }

    @Override
    public void beforeBatch(List<ConsumedEvent<ResourceEventEnvelope>> events, HandlerContext context)
            throws Exception {
        saga.lockJobsOf(events, context);
    }

    @Override
    public void handle(ConsumedEvent<ResourceEventEnvelope> event, HandlerContext context) throws Exception {
        Object payload = event.envelope().getPayload();
        String jobId = JobSagaInputs.jobIdOf(payload).orElseThrow(
                () -> new IllegalArgumentException("unexpected resource event " + payload));
        saga.onJob(context, jobId, job -> JobSagaInputs.decide(job, payload));
    }
}
