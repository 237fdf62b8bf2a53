package io.sluice.well.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.resource.ResourceDemandEnvelope;
import io.sluice.events.resource.ResourceDemandWithdrawn;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.events.resource.ResourceReleaseRequested;
import io.sluice.schemas.Topic;
import io.sluice.well.store.TypeLock;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;

/** Reads `sluice.resource.demands` (job-service's demands, releases and withdrawals) and hands each to the well. */
@Singleton
public final class ResourceDemandsConsumer implements EventHandler<ResourceDemandEnvelope> {

    private final AnswerResourceDemands demands;
    private final TypeLock typeLock;
    private final Clock clock;

    public ResourceDemandsConsumer(AnswerResourceDemands demands, TypeLock typeLock, Clock clock) {
        this.demands = demands;
        this.typeLock = typeLock;
        this.clock = clock;
    }

    @Override
    public Topic topic() {
        return Topic.RESOURCE_DEMANDS;
    }

    @Override
    public String consumerName() {
        return "resource-well.demands";
    }

    /** Takes the locks of every type a batch concerns in one order, so two wells' batches cannot deadlock. */
    @Override
    public void beforeBatch(List<ConsumedEvent<ResourceDemandEnvelope>> events, HandlerContext context)
            throws Exception {
        TreeSet<String> types = new TreeSet<>();
        events.forEach(event -> types.add(typeOf(event.envelope())));
        for (String type : types) {
            typeLock.lock(context.connection(), type);
        }
    }

    @Override
    public void handle(ConsumedEvent<ResourceDemandEnvelope> event, HandlerContext context) throws Exception {
        switch (event.envelope().getPayload()) {
            case ResourceDemanded demand -> demands.demanded(context, demand, clock.instant());
            case ResourceReleaseRequested release -> demands.releaseRequested(context, release, clock.instant());
            case ResourceDemandWithdrawn withdrawal -> demands.withdrawn(context, withdrawal, clock.instant());
            default -> throw new IllegalArgumentException("not a resource demand: " + event.envelope().getPayload());
        }
    }

    private static String typeOf(ResourceDemandEnvelope envelope) {
        return switch (envelope.getPayload()) {
            case ResourceDemanded demand -> demand.getResourceType();
            case ResourceReleaseRequested release -> release.getResourceType();
            case ResourceDemandWithdrawn withdrawal -> withdrawal.getResourceType();
            default -> "";
        };
    }
}
