package io.sluice.well.edge;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.resource.ResourceDemandWithdrawn;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.events.resource.ResourceReleaseRequested;
import io.sluice.well.domain.InstanceIds;
import io.sluice.well.domain.InstanceLifecycle;
import io.sluice.well.domain.QueuedDemand;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.publish.PublishWellEvents;
import io.sluice.well.publish.WellMetrics;
import io.sluice.well.store.DemandRepository;
import io.sluice.well.store.DemandRow;
import io.sluice.well.store.TypeLock;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what job-service asks of the well: a resource (queued FIFO behind older demands of its type, made at once
 * when capacity allows), its release, a withdrawn demand. Every decision about a type runs under that type's lock.
 */
@Singleton
public final class AnswerResourceDemands {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerResourceDemands.class);

    private final WellTypes types;
    private final TypeLock typeLock;
    private final DemandRepository demands;
    private final ApplyInstanceChanges instances;
    private final PublishWellEvents publisher;
    private final WellMetrics metrics;

    public AnswerResourceDemands(WellTypes types, TypeLock typeLock, DemandRepository demands,
                                 ApplyInstanceChanges instances, PublishWellEvents publisher, WellMetrics metrics) {
        this.metrics = metrics;
        this.types = types;
        this.typeLock = typeLock;
        this.demands = demands;
        this.instances = instances;
        this.publisher = publisher;
    }

    /** Queues the demand behind older ones of its type and makes what fits; a repeated demand does nothing. */
    public void demanded(HandlerContext context, ResourceDemanded demand, Instant now) throws Exception {
        String typeName = demand.getResourceType();
        typeLock.lock(context.connection(), typeName);
        Optional<ResourceType> type = types.find(typeName);
        if (type.isEmpty()) {
            context.afterCommit(() -> metrics.failed(typeName, "unknown-type"));
            publisher.refuse(context, demand.getJobId(), typeName, types.unknownTypeReason(typeName));
            return;
        }
        String demandId = InstanceIds.of(demand.getJobId(), typeName);
        if (demands.existsById(demandId)) {
            LOG.info("job {} demanded {} before: nothing to do", demand.getJobId(), typeName);
            return;
        }
        demands.save(DemandRow.queued(new QueuedDemand(demand.getJobId(), typeName, demand.getOwner(),
                Map.copyOf(demand.getParameters()), now), demandId));
        instances.admitWhatFits(context, type.get(), now);
    }

    /** Releases the instance the job is done with; ResourceReleased follows once its provisioner removed it. */
    public void releaseRequested(HandlerContext context, ResourceReleaseRequested request, Instant now)
            throws Exception {
        typeLock.lock(context.connection(), request.getResourceType());
        if (!instances.apply(context, request.getResourceId(), InstanceLifecycle::releaseRequested, now)) {
            // Nothing of it exists here: say so at once, so the job's clean-up never waits for it.
            LOG.warn("job {} asks to release {} {}, which this well never made", request.getJobId(),
                    request.getResourceType(), request.getResourceId());
            publisher.releasedUnknown(context, request.getJobId(), request.getResourceType(),
                    request.getResourceId());
        }
    }

    /** Takes a withdrawn demand out of its queue, or releases the instance it already got. */
    public void withdrawn(HandlerContext context, ResourceDemandWithdrawn withdrawal, Instant now) throws Exception {
        String typeName = withdrawal.getResourceType();
        typeLock.lock(context.connection(), typeName);
        Optional<DemandRow> demand = demands.findById(InstanceIds.of(withdrawal.getJobId(), typeName));
        if (demand.isEmpty() || demand.get().state().equals(DemandRow.WITHDRAWN)) {
            return;
        }
        if (demand.get().state().equals(DemandRow.QUEUED)) {
            demands.update(demand.get().inState(DemandRow.WITHDRAWN));
            LOG.info("queued demand of job {} for {} withdrawn", withdrawal.getJobId(), typeName);
            return;
        }
        String reason = withdrawal.getReason();
        instances.apply(context, demand.get().demandId(), instance -> InstanceLifecycle.withdrawn(instance, reason),
                now);
    }
}
