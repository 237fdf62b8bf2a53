package io.sluice.runner.publish;

import io.sluice.bus.kafka.EventSender;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Publishes a node's heartbeat on the compacted `sluice.node.heartbeats`, keyed by node id. */
public final class NodeHeartbeatPublisher {

    private final EventSender sender;
    private final String producerName;
    private final Clock clock;

    public NodeHeartbeatPublisher(EventSender sender, String producerName, Clock clock) {
        this.sender = sender;
        this.producerName = producerName;
        this.clock = clock;
    }

    /** Sends the heartbeat; the result completes when the broker has it. */
    public CompletableFuture<?> publish(NodeHeartbeat beat) {
        NodeHeartbeatEnvelope envelope = NodeHeartbeatEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), clock.instant(), beat.getNodeId(), null,
                        producerName))
                .setPayload(beat)
                .build();
        return sender.send(Topic.NODE_HEARTBEATS, beat.getNodeId(), envelope);
    }
}
