package io.sluice.cli.replay;

import io.sluice.events.EventMetadata;
import io.sluice.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * One event as a topic recorded it: where it is (topic, partition, offset), the record's timestamp (milliseconds),
 * its key, metadata and payload.
 */
record RecordedEvent(Topic topic, String topicName, int partition, long offset, long timestamp, String key,
                     EventMetadata metadata, SpecificRecord payload) {

    String eventId() {
        return metadata.getEventId().toString();
    }

    String causationId() {
        return metadata.getCausationId() == null ? null : metadata.getCausationId().toString();
    }

    String type() {
        return payload.getSchema().getName();
    }

    /** Where it is, as {@code topic-partition@offset}. */
    String place() {
        return topicName + "-" + partition + "@" + offset;
    }
}
