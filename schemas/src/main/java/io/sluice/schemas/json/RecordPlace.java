package io.sluice.schemas.json;

import java.time.Instant;

/**
 * Where a record sits on the broker: topic (as named there, prefix included), partition, offset and the broker's
 * timestamp; partition, offset and timestamp are null where the record is shown before the broker placed it (a
 * history written in the transaction that emits the event).
 */
public record RecordPlace(String topic, Integer partition, Long offset, Instant timestamp) {

    /** A record not placed yet: the topic it goes to, nothing else. */
    public static RecordPlace unplaced(String topic) {
        return new RecordPlace(topic, null, null, null);
    }

    /** {@code topic/partition@offset}, the way the commands name a record. */
    @Override
    public String toString() {
        return topic + "/" + (partition == null ? "?" : partition) + "@" + (offset == null ? "?" : offset);
    }
}
