package io.sluice.bus.deadletter;

import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.events.deadletter.DeadLetterHeader;
import io.sluice.schemas.Envelopes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a record a consumer could not handle into a DeadLetter for `sluice.deadletter`: where the record was, its
 * raw bytes, and what went wrong. Database services write it through their outbox, node runners send it directly.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static DeadLetterEnvelope envelopeFor(ConsumerRecord<byte[], byte[]> record, Exception error,
                                                 String consumer, String producer, Instant now) {
        String position = record.topic() + "/" + record.partition() + "@" + record.offset();
        return DeadLetterEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), now, position, null, producer))
                .setPayload(DeadLetter.newBuilder()
                        .setSourceTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset())
                        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                        .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                        .setHeaders(headersOf(record))
                        .setErrorClass(error.getClass().getName())
                        .setErrorMessage(String.valueOf(error.getMessage()))
                        .setConsumer(consumer)
                        .setFailedAt(now)
                        .build())
                .build();
    }

    private static List<DeadLetterHeader> headersOf(ConsumerRecord<byte[], byte[]> record) {
        List<DeadLetterHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new DeadLetterHeader(header.key(),
                    header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        return headers;
    }
}
