package io.sluice.cli.admin;

import io.sluice.cli.CliFailure;
import io.sluice.cli.jobs.CurrentUser;
import io.sluice.cli.jobs.DurationText;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.cli.jobs.KafkaOptions;
import io.sluice.events.node.DrainNode;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Gives a node its drain or undrain order ({@code DrainNode} on {@code sluice.node.commands}) and, unless told not
 * to wait, reads the node's heartbeats until one says it obeyed, every read bounded by an end offset or a deadline.
 */
final class NodeDrainOrder {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final CommandSpec spec;
    private final KafkaOptions kafkaOptions;

    NodeDrainOrder(CommandSpec spec, KafkaOptions kafkaOptions) {
        this.spec = spec;
        this.kafkaOptions = kafkaOptions;
    }

    /** Sends the order; {@code wait} null returns once the broker has it. Returns the exit code. */
    int give(String nodeId, boolean draining, String reason, Duration wait) {
        if (nodeId == null || nodeId.isBlank()) {
            throw new ParameterException(spec.commandLine(), "NODE must not be empty");
        }
        if (wait != null && (wait.isZero() || wait.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive, got " + wait);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            String heartbeats = kafka.nameOf(Topic.NODE_HEARTBEATS);
            TopicPartition partition = new TopicPartition(heartbeats,
                    KafkaConnection.partitionOf(nodeId, kafka.partitionCount(Topic.NODE_HEARTBEATS)));
            KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
            long end = read(kafka, () -> {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                return consumer.endOffsets(List.of(partition), KafkaConnection.CLIENT_TIMEOUT).get(partition);
            });
            Beat last = null;
            while (read(kafka, () -> consumer.position(partition, KafkaConnection.CLIENT_TIMEOUT)) < end) {
                for (Beat beat : heartbeatsOf(kafka, nodeId, consumer, err)) {
                    last = beat;
                }
            }
            if (last == null) {
                throw new CliFailure("no node '" + nodeId + "' has sent a heartbeat (topic " + heartbeats
                        + "): check the node's id ('sluice nodes' lists the nodes); nothing was sent", null,
                        JobExitCodes.REJECTED_OR_USAGE);
            }
            String wanted = draining ? "drain" : "undrain";
            kafka.send(Topic.NODE_COMMANDS, nodeId, sentAt -> Envelopes.<NodeCommandEnvelope>envelope(
                    Topic.NODE_COMMANDS, Envelopes.metadata(UUID.randomUUID(), sentAt, nodeId, null,
                            "sluice-cli/" + CurrentUser.name()),
                    DrainNode.newBuilder().setNodeId(nodeId).setDraining(draining).setReason(reason).build()), null);
            if (wait == null) {
                out.println("asked node " + nodeId + " to " + wanted + " (its heartbeat says it once its runner "
                        + "applied the order)");
                return JobExitCodes.SUCCEEDED;
            }
            Instant deadline = Instant.now().plus(wait);
            while (Instant.now().isBefore(deadline)) {
                for (Beat beat : heartbeatsOf(kafka, nodeId, consumer, err)) {
                    last = beat;
                    if (beat.heartbeat().getDraining() == draining) {
                        printObeyed(out, beat.heartbeat());
                        return JobExitCodes.SUCCEEDED;
                    }
                }
            }
            throw new CliFailure("node " + nodeId + " did not say it " + (draining ? "drains" : "takes work")
                    + " within " + DurationText.describe(wait) + " (its last heartbeat, at "
                    + last.at().truncatedTo(ChronoUnit.SECONDS) + ", says draining=" + last.heartbeat().getDraining()
                    + "): is its runner up? The order waits "
                    + "on " + kafka.nameOf(Topic.NODE_COMMANDS) + " and applies when the runner reads it"
                    + (draining ? "" : "; a node whose configuration says draining keeps draining"), null,
                    JobExitCodes.NO_ANSWER);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static void printObeyed(PrintWriter out, NodeHeartbeat beat) {
        List<String> workers = beat.getWorkers();
        String running = workers.isEmpty() ? "nothing runs there"
                : workers.size() + " worker" + (workers.size() == 1 ? "" : "s") + " and "
                + beat.getRunningProcesses() + " process" + (beat.getRunningProcesses() == 1 ? "" : "es")
                + " still run there";
        if (beat.getDraining()) {
            out.println("node " + beat.getNodeId() + " drains: it takes no new workers; " + running
                    + (workers.isEmpty() ? "" : ", and finish normally"));
        } else {
            out.println("node " + beat.getNodeId() + " takes work again; " + running);
        }
        for (String worker : workers) {
            int dot = worker.lastIndexOf('.');
            out.println("  worker " + worker + (dot > 0 ? " (job " + worker.substring(0, dot) + ")" : ""));
        }
    }

    /** The node's heartbeats in one poll; records of other nodes are skipped, undecodable ones said on stderr. */
    private List<Beat> heartbeatsOf(KafkaConnection kafka, String nodeId, KafkaConsumer<byte[], byte[]> consumer,
                                    PrintWriter err) {
        List<Beat> beats = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : read(kafka, () -> consumer.poll(POLL))) {
            if (record.key() == null || record.value() == null
                    || !nodeId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                continue;
            }
            try {
                NodeHeartbeatEnvelope envelope =
                        EventCodec.<NodeHeartbeatEnvelope>forTopic(Topic.NODE_HEARTBEATS).decode(record.value());
                if (envelope.getPayload() instanceof NodeHeartbeat beat) {
                    beats.add(new Beat(beat, envelope.getMetadata().getOccurredAt()));
                }
            } catch (UndecodableEventException e) {
                err.println(spec.qualifiedName() + ": warning: cannot decode the heartbeat at " + record.topic() + "/"
                        + record.partition() + "@" + record.offset() + ": " + e.getMessage());
            }
        }
        return beats;
    }

    /** A heartbeat and when the node sent it. */
    private record Beat(NodeHeartbeat heartbeat, Instant at) {
    }

    /** A read of the heartbeats, its broker failures said as every command says them. */
    private static <T> T read(KafkaConnection kafka, Supplier<T> reading) {
        try {
            return reading.get();
        } catch (TimeoutException e) {
            throw kafka.failures().unreachable();
        } catch (KafkaException e) {
            throw kafka.failures().of("could not read " + kafka.nameOf(Topic.NODE_HEARTBEATS), e, "read",
                    kafka.nameOf(Topic.NODE_HEARTBEATS));
        }
    }
}
