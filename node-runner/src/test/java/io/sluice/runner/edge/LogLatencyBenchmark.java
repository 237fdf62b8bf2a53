package io.sluice.runner.edge;

import io.sluice.events.logs.JobLogEnvelope;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.testing.Percentiles;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures how long a line a process prints takes to reach a consumer of `sluice.job.logs`, end to end: a process
 * under runc prints a line with its own timestamp every 50 ms, a node runner ships it through the broker, and a
 * consumer notes when each line arrives. Not a test: run it as docs/benchmarks.md says. Argument (or
 * SLUICE_BENCH_LINES): lines, 400 by default; the first 10% are warm-up.
 */
public final class LogLatencyBenchmark {

    private static final String NODE = "bench-node";
    private static final long LINE_INTERVAL_MILLIS = 50;
    private static final EventCodec<JobLogEnvelope> CODEC = EventCodec.forTopic(Topic.JOB_LOGS);

    private LogLatencyBenchmark() {
    }

    /** One line as the consumer saw it: printed (by the process), chunk sent (by the runner), consumed. */
    private record Arrival(long line, long printedNanos, long sentNanos, long consumedNanos) {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_LINES", "400"));
        Path stateDir = Files.createTempDirectory("sluice-log-latency");
        List<Arrival> arrivals = new ArrayList<>();
        try (NodeHarness harness = new NodeHarness("log-latency", NODE);
             NodeRunner runner = harness.startRunner(stateDir, 64L * 1024 * 1024);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(harness.scope.consumerProperties(null))) {
            String topic = harness.naming.nameOf(Topic.JOB_LOGS);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            harness.send(harness.prepare("w1", "job-1"));
            harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
            harness.send(harness.launch("w1", "job-1", "clock", "i=0; while [ $i -lt " + lines + " ]; do "
                    + "echo \"$i $(date +%s%N)\"; i=$((i+1)); sleep " + LINE_INTERVAL_MILLIS / 1000.0 + "; done"));
            long deadline = System.nanoTime() + Duration.ofMillis(lines * LINE_INTERVAL_MILLIS * 4 + 60_000).toNanos();
            while (arrivals.size() < lines && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long consumed = epochNanos(Instant.now());
                    JobLogEnvelope envelope = CODEC.decode(record.value());
                    LogChunk chunk = (LogChunk) envelope.getPayload();
                    long sent = epochNanos(envelope.getMetadata().getOccurredAt());
                    for (String line : StandardCharsets.UTF_8.decode(chunk.getData()).toString().split("\n")) {
                        String[] parts = line.strip().split(" ");
                        arrivals.add(new Arrival(Long.parseLong(parts[0]), Long.parseLong(parts[1]), sent, consumed));
                    }
                }
            }
            check(arrivals, lines);
            harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("clock"));
        } finally {
            new ProcessBuilder("rm", "-rf", stateDir.toString()).start().waitFor();
        }
        report(arrivals.subList(lines / 10, lines));
        System.exit(0); // the shared test broker's threads would keep the JVM alive
    }

    private static void check(List<Arrival> arrivals, int lines) {
        for (int i = 0; i < arrivals.size(); i++) {
            if (arrivals.get(i).line() != i) {
                throw new IllegalStateException("line " + i + " arrived as line " + arrivals.get(i).line());
            }
        }
        if (arrivals.size() != lines) {
            throw new IllegalStateException("only " + arrivals.size() + " of " + lines + " lines arrived");
        }
    }

    private static void report(List<Arrival> measured) {
        long[] total = measured.stream().mapToLong(a -> a.consumedNanos() - a.printedNanos()).toArray();
        long[] toSend = measured.stream().mapToLong(a -> a.sentNanos() - a.printedNanos()).toArray();
        long[] sendToConsumer = measured.stream().mapToLong(a -> a.consumedNanos() - a.sentNanos()).toArray();
        long over = Arrays.stream(total).filter(n -> n > 250_000_000L).count();
        System.out.printf("A line from a process under runc to a consumer of sluice.job.logs, %d lines (a line every"
                + " %d ms) after warm-up, %d cores, %s%n", measured.size(), LINE_INTERVAL_MILLIS,
                Runtime.getRuntime().availableProcessors(), Instant.now());
        Percentiles.header("(milliseconds)");
        Percentiles.print("printed -> consumed (the goal: 250 ms)", total);
        Percentiles.print("  printed -> chunk sent (occurredAt, ms precision)", toSend);
        Percentiles.print("  chunk sent -> consumed", sendToConsumer);
        System.out.printf("lines over 250 ms: %d of %d%n", over, measured.size());
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
