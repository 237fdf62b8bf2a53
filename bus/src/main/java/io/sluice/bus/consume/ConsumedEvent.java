package io.sluice.bus.consume;

import io.sluice.events.EventMetadata;
import org.apache.avro.specific.SpecificRecordBase;

/** One decoded event and where it was read from. */
public record ConsumedEvent<V extends SpecificRecordBase>(
        V envelope,
        EventMetadata metadata,
        String key,
        String topic,
        int partition,
        long offset) {

    /** Where the event came from, as people read it in logs and dead letters. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
