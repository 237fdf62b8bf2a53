package io.sluice.bus.consume;

import io.sluice.events.EventMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One decoded event, where it was read from, and the record's encoded value and headers (for checks over the bytes
 * as sent: their size, a signature).
 */
public record ConsumedEvent<V extends SpecificRecordBase>(
        V envelope,
        EventMetadata metadata,
        String key,
        String topic,
        int partition,
        long offset,
        byte[] value,
        Headers headers) {

    /** The last header named {@code name}, as UTF-8 text. */
    public Optional<String> header(String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** Where the event came from, as people read it in logs and dead letters. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
