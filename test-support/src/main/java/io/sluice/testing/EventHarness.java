package io.sluice.testing;

import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.schemas.signing.RequestSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/**
 * A test's hands on the bus of its scope: it sends events as another service would (envelope, metadata, codec)
 * and reads back what the services under test sent, decoded.
 */
public final class EventHarness implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(60);

    private final IsolatedScope scope;
    private final TopicNaming naming;
    private final KafkaProducer<byte[], byte[]> producer;

    public EventHarness(IsolatedScope scope) {
        this.scope = scope;
        this.naming = new TopicNaming(scope.topicPrefix());
        this.producer = new KafkaProducer<>(scope.producerProperties());
    }

    /** Sends {@code payload} on {@code topic} with {@code key}, for the job (or node) {@code correlationId}. */
    public SpecificRecordBase send(Topic topic, String key, String correlationId, SpecificRecord payload) {
        SpecificRecordBase envelope = Envelopes.envelope(topic, Envelopes.metadata(UUID.randomUUID(), Instant.now(),
                correlationId, null, "test/" + scope.name()), payload);
        sendEnvelope(topic, key, envelope);
        return envelope;
    }

    /** Sends {@code payload} as {@link #send} does, signed with {@code signer}'s key ({@link TestOwners}). */
    public SpecificRecordBase sendSigned(String signer, Topic topic, String key, String correlationId,
                                         SpecificRecord payload) {
        SpecificRecordBase envelope = Envelopes.envelope(topic, Envelopes.metadata(UUID.randomUUID(), Instant.now(),
                correlationId, null, "test/" + scope.name()), payload);
        sendEnvelopeSigned(signer, topic, key, envelope);
        return envelope;
    }

    /** Sends an envelope as it is, signed with {@code signer}'s key ({@link TestOwners}). */
    public void sendEnvelopeSigned(String signer, Topic topic, String key, SpecificRecordBase envelope) {
        byte[] value = EventCodec.forTopic(topic).encode(envelope);
        sendRaw(topic, key, value, RequestSignature.sign(value, TestOwners.keyOf(signer)));
    }

    /** Sends an envelope as it is (a replayed or duplicated event keeps its event id). */
    public void sendEnvelope(Topic topic, String key, SpecificRecordBase envelope) {
        sendRaw(topic, key, EventCodec.forTopic(topic).encode(envelope));
    }

    /** Sends bytes as they are: a poison record, say. */
    public void sendRaw(Topic topic, String key, byte[] value) {
        sendRaw(topic, key, value, null);
    }

    /** Sends bytes as they are with a {@link RequestSignature#HEADER} header (a forged one, say), unless null. */
    public void sendRaw(Topic topic, String key, byte[] value, String signature) {
        var record = new ProducerRecord<>(naming.nameOf(topic), key.getBytes(StandardCharsets.UTF_8), value);
        if (signature != null) {
            record.headers().add(RequestSignature.HEADER, signature.getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + naming.nameOf(topic), e);
        }
    }

    /** Every envelope the topic holds now, decoded, in partition then offset order. */
    public <V extends SpecificRecordBase> List<V> envelopes(Topic topic) {
        EventCodec<V> codec = EventCodec.forTopic(topic);
        return scope.topicReader().readAll(naming.nameOf(topic)).stream()
                .map(ConsumerRecord::value).map(codec::decode).toList();
    }

    /**
     * The payloads of {@code type} on {@code topic} whose correlation id is {@code correlationId}, in order, each
     * event once: the outbox relay may publish an event again after a crash, with the same event id.
     */
    public <T> List<T> payloads(Topic topic, String correlationId, Class<T> type) {
        return eventsOf(topic, correlationId).map(Envelopes::payloadOf).filter(type::isInstance).map(type::cast)
                .toList();
    }

    /** The names of the payload types on {@code topic} for {@code correlationId}, in order, each event once. */
    public List<String> payloadNames(Topic topic, String correlationId) {
        return eventsOf(topic, correlationId)
                .map(e -> ((SpecificRecord) Envelopes.payloadOf(e)).getSchema().getName()).toList();
    }

    private Stream<SpecificRecordBase> eventsOf(Topic topic, String correlationId) {
        Set<String> seen = new HashSet<>();
        return this.<SpecificRecordBase>envelopes(topic).stream()
                .filter(e -> Envelopes.metadataOf(e).getCorrelationId().equals(correlationId))
                .filter(e -> seen.add(Envelopes.metadataOf(e).getEventId().toString()));
    }

    /** Waits until a payload of {@code type} for {@code correlationId} matches, and returns the first that does. */
    public <T> T await(Topic topic, String correlationId, Class<T> type, Predicate<T> matching) {
        return Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> payloads(topic, correlationId, type).stream().filter(matching).findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    /** Waits for the first payload of {@code type} for {@code correlationId}. */
    public <T> T await(Topic topic, String correlationId, Class<T> type) {
        return await(topic, correlationId, type, any -> true);
    }

    public String topicName(Topic topic) {
        return naming.nameOf(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
