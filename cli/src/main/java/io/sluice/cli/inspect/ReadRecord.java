package io.sluice.cli.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.events.EventMetadata;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import io.sluice.schemas.json.EventJsonEncoder;
import io.sluice.schemas.json.RecordPlace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record read from a Sluice topic: where it was, its key, and its event decoded, or why it could not be (then
 * {@code envelope} is null and {@code problem} says why; a tombstone has neither).
 */
record ReadRecord(Topic topic, RecordPlace place, String key, SpecificRecordBase envelope, String problem, int size) {

    /** Decodes a consumed record of {@code topic} with the topic's codec. */
    static ReadRecord of(Topic topic, ConsumerRecord<byte[], byte[]> record) {
        RecordPlace place = new RecordPlace(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()));
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return decode(topic, place, key, record.value());
    }

    /** Decodes a value of {@code topic} found at {@code place} (perhaps inside a dead letter). */
    static ReadRecord decode(Topic topic, RecordPlace place, String key, byte[] value) {
        if (value == null) {
            return new ReadRecord(topic, place, key, null, null, 0);
        }
        if (topic == null) {
            return new ReadRecord(null, place, key, null, "topic " + place.topic() + " is none of Sluice's",
                    value.length);
        }
        try {
            return new ReadRecord(topic, place, key, EventCodec.<SpecificRecordBase>forTopic(topic).decode(value),
                    null, value.length);
        } catch (UndecodableEventException e) {
            return new ReadRecord(topic, place, key, null, e.getMessage(), value.length);
        }
    }

    boolean decoded() {
        return envelope != null;
    }

    boolean tombstone() {
        return envelope == null && problem == null;
    }

    EventMetadata metadata() {
        return Envelopes.metadataOf(envelope);
    }

    SpecificRecord payload() {
        return (SpecificRecord) Envelopes.payloadOf(envelope);
    }

    /** The payload type's name, e.g. JobAccepted. */
    String type() {
        return payload().getSchema().getName();
    }

    /** The record form of the schemas' encoder; for an undecodable record its place, key and why. */
    ObjectNode json() {
        if (decoded()) {
            return EventJsonEncoder.record(place, key, envelope);
        }
        if (tombstone()) {
            ObjectNode form = EventJsonEncoder.undecodable(place, key, "no value (a tombstone)", 0);
            form.remove("undecodable");
            form.put("tombstone", true);
            return form;
        }
        return EventJsonEncoder.undecodable(place, key, problem, size);
    }
}
