package io.sluice.factory.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Reads `sluice.node.heartbeats` into the node registry. */
@Singleton
public final class NodeHeartbeatsConsumer implements EventHandler<NodeHeartbeatEnvelope> {

    private final RegisterHeartbeats registry;
    private final Clock clock;

    public NodeHeartbeatsConsumer(RegisterHeartbeats registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public Topic topic() {
        return Topic.NODE_HEARTBEATS;
    }

    @Override
    public String consumerName() {
        return "worker-factory.heartbeats";
    }

    @Override
    public void handle(ConsumedEvent<NodeHeartbeatEnvelope> event, HandlerContext context) throws Exception {
        if (event.envelope().getPayload() instanceof NodeHeartbeat beat) {
            registry.heartbeat(context, beat, event.metadata().getOccurredAt(), clock.instant());
        }
    }
}
