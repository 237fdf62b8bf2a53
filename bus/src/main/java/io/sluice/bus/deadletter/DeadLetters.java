package io.sluice.bus.deadletter;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.EventStamps;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.schemas.Topic;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a record a consumer could not handle into a DeadLetter on `sluice.deadletter`, keyed by the original key. */
public final class DeadLetters {

    private final BusRuntime bus;

    public DeadLetters(BusRuntime bus) {
        this.bus = bus;
    }

    /** Writes the dead letter into the outbox of the caller's transaction. */
    public void append(Connection connection, ConsumerRecord<byte[], byte[]> record, Exception error, String consumer)
            throws SQLException {
        bus.outbox().append(connection, Topic.DEAD_LETTER, record.key(), envelopeFor(record, error, consumer));
    }

    /** The dead letter: where the record was, its raw bytes, and what went wrong with it. */
    public DeadLetterEnvelope envelopeFor(ConsumerRecord<byte[], byte[]> record, Exception error, String consumer) {
        String position = record.topic() + "/" + record.partition() + "@" + record.offset();
        return DeadLetterEnvelope.newBuilder()
                .setMetadata(EventStamps.stamp(bus, position, null))
                .setPayload(DeadLetter.newBuilder()
                        .setSourceTopic(record.topic())
                        .setPartition(record.partition())
                        .setOffset(record.offset())
                        .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                        .setValue(ByteBuffer.wrap(record.value() == null ? new byte[0] : record.value()))
                        .setErrorClass(error.getClass().getName())
                        .setErrorMessage(String.valueOf(error.getMessage()))
                        .setConsumer(consumer)
                        .setFailedAt(bus.clock().instant())
                        .build())
                .build();
    }
}
