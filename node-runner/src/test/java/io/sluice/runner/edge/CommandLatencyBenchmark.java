package io.sluice.runner.edge;

import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.testing.Percentiles;
import io.sluice.runner.store.CommandJournal;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures how long a node runner takes from a command's publication to acting on it: a PrepareWorker and, right
 * behind it, a LaunchProcess of {@code /bin/true} for a new worker, one worker at a time, against the test broker
 * and a runner in this JVM isolating with runc. Beside it, the parts it is made of: a record's trip through the
 * broker to an assigned consumer, an acknowledged send, and one line of the command journal forced to disk. Not a
 * test: run it as docs/benchmarks.md says. Argument (or SLUICE_BENCH_ITERATIONS): workers, 100 by default.
 */
public final class CommandLatencyBenchmark {

    private static final String NODE = "bench-commands";
    private static final EventCodec<NodeEventEnvelope> CODEC = EventCodec.forTopic(Topic.NODE_EVENTS);

    private CommandLatencyBenchmark() {
    }

    /** When this JVM saw a node event, the event, and when the runner stamped it. */
    record Seen(long nanos, Object event, Instant occurredAt) {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_ITERATIONS", "100"));
        int warmup = Math.max(10, iterations / 5);
        Path stateDir = Files.createTempDirectory("sluice-command-latency");
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        long[] prepareStamped = new long[iterations];
        long[] prepareSeen = new long[iterations];
        long[] launchBegun = new long[iterations];
        long[] launchSeen = new long[iterations];
        try (NodeHarness harness = new NodeHarness("command-latency", NODE);
             NodeRunner runner = harness.startRunner(stateDir, 1024 * 1024)) {
            Thread watcher = watch(harness, seen, watching);
            for (int i = -warmup; i < iterations; i++) {
                String worker = "w" + (i + warmup);
                long prepareSent = System.nanoTime();
                Instant prepareSentAt = Instant.now();
                harness.send(harness.prepare(worker, "job-" + worker));
                long launchSent = System.nanoTime();
                Instant launchSentAt = Instant.now();
                harness.send(harness.launch(worker, "job-" + worker, "true", "true"));
                Seen prepared = await(seen, "WorkerPrepared/" + worker);
                Seen started = await(seen, "ProcessStarted/" + worker);
                await(seen, "ProcessExited/" + worker);
                harness.send(harness.destroy(worker, "job-" + worker));
                await(seen, "WorkerDestroyed/" + worker);
                if (i >= 0) {
                    prepareStamped[i] = between(prepareSentAt, prepared.occurredAt());
                    prepareSeen[i] = prepared.nanos() - prepareSent;
                    launchBegun[i] = between(launchSentAt, ((ProcessStarted) started.event()).getStartedAt());
                    launchSeen[i] = started.nanos() - launchSent;
                }
            }
            watching.set(false);
            watcher.join();
            long[][] parts = parts(harness, stateDir, iterations);

            System.out.printf("Command latency of a node runner, %d workers after %d warm-up, %d cores, %s%n",
                    iterations, warmup, Runtime.getRuntime().availableProcessors(), Instant.now());
            Percentiles.header("(milliseconds; event time stamps have millisecond precision)");
            Percentiles.print("PrepareWorker sent -> WorkerPrepared stamped", prepareStamped);
            Percentiles.print("PrepareWorker sent -> WorkerPrepared consumed", prepareSeen);
            Percentiles.print("LaunchProcess sent -> launch begins (startedAt)", launchBegun);
            Percentiles.print("LaunchProcess sent -> ProcessStarted consumed", launchSeen);
            Percentiles.print("part: produce -> consumed by an assigned consumer", parts[0]);
            Percentiles.print("part: acknowledged send (acks=all)", parts[1]);
            Percentiles.print("part: command journal line, forced", parts[2]);
        } finally {
            new ProcessBuilder("rm", "-rf", stateDir.toString()).start().waitFor();
        }
        System.exit(0); // the shared test broker's threads would keep the JVM alive
    }

    /** What the node's events do: noted by kind and worker as a consumer of `sluice.node.events` sees them. */
    static Thread watch(NodeHarness harness, Map<String, Seen> seen, AtomicBoolean watching) throws Exception {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(harness.scope.consumerProperties(null));
        String topic = harness.naming.nameOf(Topic.NODE_EVENTS);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (watching.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        NodeEventEnvelope envelope = CODEC.decode(record.value());
                        Object event = envelope.getPayload();
                        String worker = switch (event) {
                            case WorkerPrepared e -> e.getWorkerId();
                            case ProcessStarted e -> e.getWorkerId();
                            case ProcessExited e -> e.getWorkerId();
                            case WorkerDestroyed e -> e.getWorkerId();
                            default -> null;
                        };
                        if (worker != null) {
                            seen.putIfAbsent(event.getClass().getSimpleName() + "/" + worker, new Seen(now, event,
                                    envelope.getMetadata().getOccurredAt()));
                        }
                    }
                }
            }
        }, "node-events-watcher");
        thread.start();
        return thread;
    }

    static Seen await(Map<String, Seen> seen, String key) {
        long deadline = System.nanoTime() + NodeHarness.DEADLINE.toNanos();
        while (!seen.containsKey(key)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + key + " within " + NodeHarness.DEADLINE);
            }
            Thread.onSpinWait();
        }
        return seen.get(key);
    }

    /** Produce-to-consume, an acknowledged send and a forced journal line, each alone. */
    private static long[][] parts(NodeHarness harness, Path stateDir, int iterations) throws Exception {
        long[][] parts = new long[3][iterations];
        String topic = harness.scope.topic("latency-probe");
        harness.scope.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(harness.scope.producerProperties());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(harness.scope.consumerProperties(null))) {
            producer.send(new ProducerRecord<>(topic, new byte[0])).get();
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            byte[] value = "probe".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
                parts[1][i] = System.nanoTime() - start;
            }
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, value));
                while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    Thread.onSpinWait();
                }
                parts[0][i] = System.nanoTime() - start;
            }
        }
        try (CommandJournal journal = CommandJournal.open(stateDir.resolve("probe/applied-commands.log"))) {
            for (int i = 0; i < iterations; i++) {
                journal.claim(i, "probe-" + i);
                long start = System.nanoTime();
                journal.record(i, "probe-" + i);
                parts[2][i] = System.nanoTime() - start;
            }
        }
        return parts;
    }

    private static long between(Instant from, Instant to) {
        return Duration.between(from, to).toNanos();
    }
}
