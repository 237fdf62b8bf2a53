package io.sluice.runner.commands;

import io.sluice.bus.deadletter.DeadLetters;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends a record the runner could not handle to `sluice.deadletter` and waits for the broker to have it. */
public final class DeadLetterSender {

    private final Producer<byte[], byte[]> producer;
    private final TopicNaming naming;
    private final String producerName;
    private final Clock clock;
    private final EventCodec<DeadLetterEnvelope> codec = EventCodec.forTopic(Topic.DEAD_LETTER);

    public DeadLetterSender(Producer<byte[], byte[]> producer, TopicNaming naming, String producerName, Clock clock) {
        this.producer = producer;
        this.naming = naming;
        this.producerName = producerName;
        this.clock = clock;
    }

    public void send(ConsumerRecord<byte[], byte[]> record, Exception error, String consumer) throws Exception {
        DeadLetterEnvelope deadLetter = DeadLetters.envelopeFor(record, error, consumer, producerName, clock.instant());
        producer.send(new ProducerRecord<>(naming.nameOf(Topic.DEAD_LETTER), record.key(), codec.encode(deadLetter)))
                .get(30, TimeUnit.SECONDS);
    }
}
