package io.sluice.schemas;

import io.sluice.events.EventMetadata;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/** Reads and builds the envelope every topic's values share: {@code metadata} plus a {@code payload} union. */
public final class Envelopes {

    static final String METADATA = "metadata";
    static final String PAYLOAD = "payload";

    private Envelopes() {
    }

    /** The metadata of any topic's envelope. */
    public static EventMetadata metadataOf(SpecificRecordBase envelope) {
        requireEnvelope(envelope);
        return (EventMetadata) envelope.get(METADATA);
    }

    /** The payload of any topic's envelope: one of the event records of the topic. */
    public static Object payloadOf(SpecificRecordBase envelope) {
        requireEnvelope(envelope);
        return envelope.get(PAYLOAD);
    }

    /** Event metadata; the caller passes the time in (nothing here reads a clock). */
    public static EventMetadata metadata(UUID eventId, Instant occurredAt, String correlationId, String causationId,
                                         String producer) {
        return EventMetadata.newBuilder()
                .setEventId(Objects.requireNonNull(eventId, "eventId"))
                .setOccurredAt(Objects.requireNonNull(occurredAt, "occurredAt"))
                .setCorrelationId(Objects.requireNonNull(correlationId, "correlationId"))
                .setCausationId(causationId)
                .setProducer(Objects.requireNonNull(producer, "producer"))
                .build();
    }

    /** Metadata of an event caused by another: same correlation id, causation id = the cause's event id. */
    public static EventMetadata causedBy(EventMetadata cause, UUID eventId, Instant occurredAt, String producer) {
        return metadata(eventId, occurredAt, cause.getCorrelationId(), cause.getEventId().toString(), producer);
    }

    /** The topic's envelope around a payload, which must be one of the topic's event types. */
    public static <T extends SpecificRecordBase> T envelope(Topic topic, EventMetadata metadata, SpecificRecord payload) {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(payload, "payload");
        Schema payloadUnion = topic.valueSchema().getField(PAYLOAD).schema();
        String payloadType = payload.getSchema().getFullName();
        if (payloadUnion.getIndexNamed(payloadType) == null) {
            throw new IllegalArgumentException(payloadType + " is not an event of topic " + topic.topicName()
                    + ", whose events are " + payloadUnion.getTypes().stream().map(Schema::getName).toList());
        }
        @SuppressWarnings("unchecked")
        T envelope = (T) SpecificData.newInstance(topic.valueClass(), topic.valueSchema());
        envelope.put(METADATA, metadata);
        envelope.put(PAYLOAD, payload);
        return envelope;
    }

    private static void requireEnvelope(SpecificRecordBase envelope) {
        Objects.requireNonNull(envelope, "envelope");
        Schema schema = envelope.getSchema();
        if (schema.getField(METADATA) == null || schema.getField(PAYLOAD) == null) {
            throw new IllegalArgumentException(schema.getFullName() + " is not an envelope (no metadata and payload)");
        }
    }
}
