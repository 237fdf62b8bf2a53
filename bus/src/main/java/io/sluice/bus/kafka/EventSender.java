package io.sluice.bus.kafka;

import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Sends envelopes straight to their topic, without an outbox: for components that have no database. */
public final class EventSender {

    private final Producer<byte[], byte[]> producer;
    private final TopicNaming naming;

    public EventSender(Producer<byte[], byte[]> producer, TopicNaming naming) {
        this.producer = producer;
        this.naming = naming;
    }

    /** Completes when the broker acknowledged the record, or exceptionally when the producer gave up on it. */
    public CompletableFuture<RecordMetadata> send(Topic topic, String key, SpecificRecordBase envelope) {
        return send(topic, key.getBytes(StandardCharsets.UTF_8), envelope);
    }

    /** Sends with the key as bytes (a dead letter keeps the original record's key as it was). */
    public CompletableFuture<RecordMetadata> send(Topic topic, byte[] key, SpecificRecordBase envelope) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(naming.nameOf(topic), key, EventCodec.forTopic(topic).encode(envelope)),
                (metadata, failure) -> {
                    if (failure != null) {
                        acknowledged.completeExceptionally(failure);
                    } else {
                        acknowledged.complete(metadata);
                    }
                });
        return acknowledged;
    }
}
