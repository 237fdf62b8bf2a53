package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerEventEnvelope;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerLost;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
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
        switch (event.envelope().getPayload()) {
            case WorkerPreparing preparing -> saga.onJob(context, preparing.getJobId(),
                    job -> job.workerPreparing(preparing.getAttempt(), preparing.getWorkerId(), preparing.getNodeId()));
            case WorkerAssigned assigned -> saga.onJob(context, assigned.getJobId(),
                    job -> job.workerAssigned(assigned.getAttempt(), assigned.getWorkerId(), assigned.getNodeId()));
            case WorkerFailed failed -> saga.onJob(context, failed.getJobId(),
                    job -> job.workerFailed(failed.getAttempt(), failed.getReason()));
            case WorkerLost lost -> saga.onJob(context, lost.getJobId(),
                    job -> job.workerLost(lost.getAttempt(), lost.getWorkerId(), lost.getReason()));
            case WorkerReleased released -> saga.onJob(context, released.getJobId(),
                    job -> job.workerReleased(released.getWorkerId()));
            default -> throw new IllegalArgumentException("unexpected worker event " + event.envelope().getPayload());
        }
    }
}
