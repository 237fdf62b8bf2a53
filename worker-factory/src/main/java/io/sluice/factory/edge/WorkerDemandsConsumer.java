package io.sluice.factory.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.worker.WorkerDemandEnvelope;
import io.sluice.events.worker.WorkerDemandWithdrawn;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Reads `sluice.worker.demands` (job-service's demands, releases and withdrawals) and hands each to the factory. */
@Singleton
public final class WorkerDemandsConsumer implements EventHandler<WorkerDemandEnvelope> {

    private final AnswerWorkerDemands demands;
    private final Clock clock;

    public WorkerDemandsConsumer(AnswerWorkerDemands demands, Clock clock) {
        this.demands = demands;
        this.clock = clock;
    }

    @Override
    public Topic topic() {
        return Topic.WORKER_DEMANDS;
    }

    @Override
    public String consumerName() {
        return "worker-factory.demands";
    }

    @Override
    public void handle(ConsumedEvent<WorkerDemandEnvelope> event, HandlerContext context) throws Exception {
        switch (event.envelope().getPayload()) {
            case WorkerDemanded ignored -> demands.demanded(context, event.envelope(), clock.instant());
            case WorkerReleaseRequested release -> demands.releaseRequested(context, release, clock.instant());
            case WorkerDemandWithdrawn withdrawal -> demands.withdrawn(context, withdrawal, clock.instant());
            default -> throw new IllegalArgumentException("not a worker demand: " + event.envelope().getPayload());
        }
    }
}
