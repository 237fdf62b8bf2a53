package io.sluice.factory.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.worker.WorkerDemandEnvelope;
import io.sluice.events.worker.WorkerDemandWithdrawn;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import io.sluice.factory.domain.DemandState;
import io.sluice.factory.domain.DemandWithdrawal;
import io.sluice.factory.domain.FactoryEvent;
import io.sluice.factory.domain.Target;
import io.sluice.factory.domain.TargetCatalog;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.domain.WorkerChange;
import io.sluice.factory.domain.WorkerIds;
import io.sluice.factory.domain.WorkerLifecycle;
import io.sluice.factory.publish.PublishFactoryEvents;
import io.sluice.factory.store.DemandStore;
import io.sluice.factory.store.PlacementLock;
import io.sluice.factory.store.WorkerStore;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers what job-service asks of the factory: a worker (placed or queued), its release, a withdrawn demand. */
@Singleton
public final class AnswerWorkerDemands {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerWorkerDemands.class);
    private static final EventCodec<WorkerDemandEnvelope> DEMANDS = EventCodec.forTopic(Topic.WORKER_DEMANDS);

    private final TargetCatalog targets;
    private final PlaceQueuedDemands placer;
    private final ApplyWorkerChange applyChange;
    private final PlacementLock placementLock;
    private final DemandStore demandStore;
    private final WorkerStore workerStore;

    public AnswerWorkerDemands(TargetCatalog targets, PlaceQueuedDemands placer, ApplyWorkerChange applyChange,
                               PlacementLock placementLock, DemandStore demandStore, WorkerStore workerStore) {
        this.targets = targets;
        this.placer = placer;
        this.applyChange = applyChange;
        this.placementLock = placementLock;
        this.demandStore = demandStore;
        this.workerStore = workerStore;
    }

    /** Queues the demand behind older ones of its target and places what fits; a repeated demand does nothing. */
    public void demanded(HandlerContext context, WorkerDemandEnvelope envelope, Instant now) throws Exception {
        WorkerDemanded demand = (WorkerDemanded) envelope.getPayload();
        Connection connection = context.connection();
        placementLock.acquire(connection);
        Optional<Target> target = targets.resolve(demand.getTarget());
        if (target.isEmpty()) {
            if (demandStore.insertDecided(connection, demand.getJobId(), demand.getAttempt(), demand.getTarget(), null,
                    DemandState.REJECTED, now)) {
                PublishFactoryEvents.publish(context, new FactoryEvent.Failed(demand.getJobId(), demand.getAttempt(),
                        null, null, targets.unknownTargetReason(demand.getTarget())));
            }
            return;
        }
        if (!demandStore.enqueue(connection, demand.getJobId(), demand.getAttempt(), demand.getTarget(),
                target.get().name(), DEMANDS.encode(envelope), now)) {
            LOG.info("job {} attempt {} demanded a worker before: nothing to do", demand.getJobId(),
                    demand.getAttempt());
            return;
        }
        String workerId = WorkerIds.of(demand.getJobId(), demand.getAttempt());
        if (placer.placeWhatFits(context, now).stream().noneMatch(placed -> placed.workerId().equals(workerId))) {
            LOG.info("worker {} of target {} queued: no node serving it has a free slot", workerId,
                    target.get().name());
        }
    }

    /** Destroys the worker the job is done with; WorkerReleased follows when its node has destroyed it. */
    public void releaseRequested(HandlerContext context, WorkerReleaseRequested request, Instant now)
            throws Exception {
        Optional<Worker> worker = workerStore.findUnderPlacementLock(context.connection(), request.getWorkerId());
        if (worker.isEmpty()) {
            LOG.warn("job {} asks to release worker {}, which the factory never placed: nothing to release",
                    request.getJobId(), request.getWorkerId());
            return;
        }
        apply(context, WorkerLifecycle.releaseRequested(worker.get()), now, null);
    }

    /**
     * Withdraws a demand. Every withdrawal is answered: WorkerReleased once the placed worker is destroyed, or at
     * once WorkerFailed ("demand withdrawn") when no worker of the demand lives on a node.
     */
    public void withdrawn(HandlerContext context, WorkerDemandWithdrawn withdrawal, Instant now) throws Exception {
        Connection connection = context.connection();
        placementLock.acquire(connection);
        String jobId = withdrawal.getJobId();
        int attempt = withdrawal.getAttempt();
        switch (DemandWithdrawal.of(demandStore.stateOf(connection, jobId, attempt))) {
            case RECORD_AS_WITHDRAWN -> {
                demandStore.insertDecided(connection, jobId, attempt, withdrawal.getTarget(),
                        targets.resolve(withdrawal.getTarget()).map(Target::name).orElse(null), DemandState.WITHDRAWN,
                        now);
                answerWithdrawn(context, jobId, attempt);
            }
            case LEAVE_QUEUE -> {
                demandStore.decide(connection, jobId, attempt, DemandState.WITHDRAWN, now);
                LOG.info("queued demand of job {} attempt {} withdrawn", jobId, attempt);
                answerWithdrawn(context, jobId, attempt);
            }
            case ANSWER_AGAIN -> answerWithdrawn(context, jobId, attempt);
            case WITHDRAW_WORKER -> {
                Worker worker = workerStore.find(connection, WorkerIds.of(jobId, attempt)).orElseThrow();
                apply(context, WorkerLifecycle.withdrawn(worker, withdrawal.getReason()), now,
                        WorkerLifecycle.DEMAND_WITHDRAWN);
            }
        }
    }

    private static void answerWithdrawn(HandlerContext context, String jobId, int attempt) throws Exception {
        PublishFactoryEvents.publish(context, DemandWithdrawal.failedAnswer(jobId, attempt));
    }

    private void apply(HandlerContext context, WorkerChange change, Instant now,
                       String reason) throws Exception {
        if (applyChange.apply(context, change, now, reason, null)) {
            placer.placeWhatFits(context, now);
        }
    }
}
