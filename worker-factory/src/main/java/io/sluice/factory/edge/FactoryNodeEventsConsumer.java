package io.sluice.factory.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepareFailed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;

/** Reads `sluice.node.events` and hands the worker reports to the factory; process events are job-service's. */
@Singleton
public final class FactoryNodeEventsConsumer implements EventHandler<NodeEventEnvelope> {

    private final FollowNodeEvents nodes;
    private final Clock clock;

    public FactoryNodeEventsConsumer(FollowNodeEvents nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    @Override
    public Topic topic() {
        return Topic.NODE_EVENTS;
    }

    @Override
    public String consumerName() {
        return "worker-factory.node-events";
    }

    /** Worker reports only: process events (half of the topic) are passed over without a transaction. */
    @Override
    public boolean concerns(NodeEventEnvelope envelope) {
        return envelope.getPayload() instanceof WorkerPrepared || envelope.getPayload() instanceof WorkerPrepareFailed
                || envelope.getPayload() instanceof WorkerDestroyed || envelope.getPayload() instanceof CommandRejected;
    }

    @Override
    public void handle(ConsumedEvent<NodeEventEnvelope> event, HandlerContext context) throws Exception {
        Instant sentAt = event.metadata().getOccurredAt();
        switch (event.envelope().getPayload()) {
            case WorkerPrepared prepared -> nodes.prepared(context, prepared, sentAt, clock.instant());
            case WorkerPrepareFailed failed -> nodes.prepareFailed(context, failed, clock.instant());
            case WorkerDestroyed destroyed -> nodes.destroyed(context, destroyed, sentAt, clock.instant());
            case CommandRejected rejected -> nodes.commandRejected(context, rejected, clock.instant());
            default -> throw new IllegalArgumentException("not a worker report: " + event.envelope().getPayload());
        }
    }
}
