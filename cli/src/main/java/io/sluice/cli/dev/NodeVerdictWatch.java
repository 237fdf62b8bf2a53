package io.sluice.cli.dev;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.sluice.cli.CliFailure;
import io.sluice.cli.Console;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.schemas.EventDeserializer;
import io.sluice.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Reads, on a thread of its own, the first heartbeat a node sent after its launch and prints its isolation verdict in
 * one line ({@link IsolationVerdict}), or one line saying none came in time: never a failure of the run.
 */
final class NodeVerdictWatch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Between two tries to find the topic: the services of an unsecured broker create it as they start. */
    private static final Duration RETRY = Duration.ofMillis(500);

    private final KafkaConnection kafka;
    private final Instant launchedAt;
    private final Duration wait;
    private final Console console;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    private NodeVerdictWatch(KafkaConnection kafka, Instant launchedAt, Duration wait, Console console) {
        this.kafka = kafka;
        // The heartbeat says when its runner started in milliseconds.
        this.launchedAt = launchedAt.truncatedTo(ChronoUnit.MILLIS);
        this.wait = wait;
        this.console = console;
        this.thread = Thread.ofPlatform().daemon().name("node-verdict").unstarted(this::watch);
    }

    /**
     * Starts watching {@code kafka}'s heartbeats for one of a runner started at or after {@code launchedAt}; the
     * watch owns the connection and closes it.
     */
    static NodeVerdictWatch start(KafkaConnection kafka, Instant launchedAt, Duration wait, Console console) {
        NodeVerdictWatch watch = new NodeVerdictWatch(kafka, launchedAt, wait, console);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        long deadline = System.nanoTime() + wait.toNanos();
        EventDeserializer<NodeHeartbeatEnvelope> heartbeats = EventDeserializer.forTopic(Topic.NODE_HEARTBEATS);
        String lastProblem = null;
        boolean assigned = false;
        try {
            while (closed.getCount() > 0 && System.nanoTime() - deadline < 0) {
                try {
                    KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
                    if (!assigned) {
                        assignAll(consumer);
                        assigned = true;
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        NodeHeartbeat beat = heartbeatOf(heartbeats, record);
                        if (beat != null && !beat.getStartedAt().isBefore(launchedAt)) {
                            console.line(DevSystem.LABEL, IsolationVerdict.of(beat));
                            return;
                        }
                    }
                } catch (CliFailure notYet) {
                    lastProblem = notYet.getMessage();
                    closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptException closing) {
                    return;
                } catch (KafkaException refused) {
                    lastProblem = kafka.failures().of("could not read " + kafka.nameOf(Topic.NODE_HEARTBEATS),
                            refused, "read", kafka.nameOf(Topic.NODE_HEARTBEATS)).getMessage();
                    closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            if (closed.getCount() > 0) {
                console.line(DevSystem.LABEL, IsolationVerdict.noHeartbeat(wait, lastProblem));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException unexpected) {
            console.line(DevSystem.LABEL, IsolationVerdict.noHeartbeat(wait, unexpected.toString()));
        } finally {
            // Closed by close(): its interrupt would cut the consumer's close short, leaving its sockets to the JVM.
            Thread.interrupted();
            try {
                kafka.close();
            } catch (RuntimeException alreadyGone) {
                // The broker may be stopping: nothing of the watch's is left to say.
            }
        }
    }

    /** Every partition from its start: the compacted topic holds each node's latest heartbeat, older runs' too. */
    private void assignAll(KafkaConsumer<byte[], byte[]> consumer) {
        String topic = kafka.nameOf(Topic.NODE_HEARTBEATS);
        List<TopicPartition> partitions = IntStream.range(0, kafka.partitionCount(Topic.NODE_HEARTBEATS))
                .mapToObj(partition -> new TopicPartition(topic, partition))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The record's heartbeat; null for a tombstone or a record this cli cannot decode (a newer node's, say). */
    private static NodeHeartbeat heartbeatOf(EventDeserializer<NodeHeartbeatEnvelope> heartbeats,
                                             ConsumerRecord<byte[], byte[]> record) {
        try {
            NodeHeartbeatEnvelope envelope = heartbeats.deserialize(record.topic(), record.value());
            return envelope != null && envelope.getPayload() instanceof NodeHeartbeat beat ? beat : null;
        } catch (SerializationException undecodable) {
            return null;
        }
    }

    /** Stops watching, if it still is, and waits a little for the connection to close; idempotent. */
    @Override
    public void close() {
        closed.countDown();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
