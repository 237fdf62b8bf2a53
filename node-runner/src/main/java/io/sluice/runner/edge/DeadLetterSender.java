package io.sluice.runner.edge;

import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.deadletter.DeadLetters;
import io.sluice.bus.kafka.EventSender;
import io.sluice.schemas.Topic;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Sends a record the runner could not handle to `sluice.deadletter` and waits for the broker to have it. */
public final class DeadLetterSender {

    /** The consumer label of the runner's dead letters: its command loop (one node per runner, so no node id). */
    static final String CONSUMER = "node-commands";

    private final EventSender sender;
    private final String producerName;
    private final Clock clock;
    private final BusMetrics metrics;

    public DeadLetterSender(EventSender sender, String producerName, Clock clock, BusMetrics metrics) {
        this.sender = sender;
        this.producerName = producerName;
        this.clock = clock;
        this.metrics = metrics;
        metrics.consumes(CONSUMER, Topic.NODE_COMMANDS.topicName());
    }

    public void send(ConsumerRecord<byte[], byte[]> record, Exception error, String consumer) throws Exception {
        sender.send(Topic.DEAD_LETTER, record.key(),
                DeadLetters.envelopeFor(record, error, consumer, producerName, clock.instant())).get(30, TimeUnit.SECONDS);
        metrics.deadLettered(CONSUMER, Topic.NODE_COMMANDS.topicName());
    }
}
