package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.worker.WorkerEventEnvelope;
import io.sluice.jobs.domain.JobSagaInputs;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.util.List;

/** Hands the worker factory's answers to the saga of the job they concern. */
@Singleton
public final class WorkerEventsConsumer implements EventHandler<WorkerEventEnvelope> {

    private final RunJobSaga saga;

    public WorkerEventsConsumer(RunJobSaga saga) {
        this.saga = saga;
    }

    @Override
    public Topic topic() {
        return Topic.WORKER_EVENTS;
    }

    @Override
    public String consumerName() {
        return "job-service.workers";
    }

    @Override
    public void beforeBatch(List<ConsumedEvent<WorkerEventEnvelope>> events, HandlerContext context) throws Exception {
        saga.lockJobsOf(events, context);
    }

    @Override
    public void handle(ConsumedEvent<WorkerEventEnvelope> event, HandlerContext context) throws Exception {
        Object payload = event.envelope().getPayload();
        String jobId = JobSagaInputs.jobIdOf(payload).orElseThrow(
                () -> new IllegalArgumentException("unexpected worker event " + payload));
        saga.onJob(context, jobId, job -> JobSagaInputs.decide(job, payload));
    }
}
