package io.sluice.runner.publish;

import io.sluice.events.EventMetadata;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.bus.kafka.EventSender;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;

/**
 * Publishes the node's events on `sluice.node.events`, keyed by node id: waiting for the broker to have them, or
 * handing back the acknowledgement to wait for later.
 * An event caused by a command gets an id derived from the command's id and the event's kind, so a command applied
 * again after a crash emits the same event ids and consumers drop the copies.
 */
public final class NodeEventPublisher {

    private final EventSender sender;
    private final String nodeId;
    private final String producerName;
    private final Clock clock;

    public NodeEventPublisher(EventSender sender, String nodeId, String producerName, Clock clock) {
        this.sender = sender;
        this.nodeId = nodeId;
        this.producerName = producerName;
        this.clock = clock;
    }

    /** Publishes {@code payload} for job {@code jobId}; {@code causationId} is the command's event id, or null. */
    public void publish(String jobId, String causationId, SpecificRecord payload) throws Exception {
        send(jobId, causationId, payload).get(30, TimeUnit.SECONDS);
    }

    /**
     * Sends like {@link #publish} without waiting: the result completes when the broker has the event. The node's
     * events share one key, so the idempotent producer keeps them in the order sent.
     */
    public CompletableFuture<?> send(String jobId, String causationId, SpecificRecord payload) {
        String kind = payload.getSchema().getName();
        UUID eventId = causationId == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes((causationId + "/" + kind).getBytes(StandardCharsets.UTF_8));
        EventMetadata metadata = Envelopes.metadata(eventId, clock.instant(), jobId == null ? nodeId : jobId,
                causationId, producerName);
        NodeEventEnvelope envelope = NodeEventEnvelope.newBuilder().setMetadata(metadata).setPayload(payload).build();
        return sender.send(Topic.NODE_EVENTS, nodeId, envelope);
    }
}
