package io.sluice.runner.commands;

import io.sluice.bus.LoopThread;
import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.runner.state.CommandJournal;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the commands addressed to this node: only the partition its node id hashes to, from where its journal
 * left off, skipping other nodes' keys and commands it already applied. Undecodable records and commands whose
 * handling fails are dead-lettered, and the loop goes on. It owns its journal and closes it when it stops.
 */
public final class NodeCommandLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCommandLoop.class);
    private static final String COMPONENT = "node commands";

    private final String nodeId;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final CommandJournal journal;
    private final CommandHandler handler;
    private final DeadLetterSender deadLetters;
    private final ServiceHealth health;
    private final EventCodec<NodeCommandEnvelope> codec = EventCodec.forTopic(Topic.NODE_COMMANDS);
    private final LoopThread thread = new LoopThread("node-commands", this::run);

    public NodeCommandLoop(String nodeId, String topic, Consumer<byte[], byte[]> consumer, CommandJournal journal,
                           CommandHandler handler, DeadLetterSender deadLetters, ServiceHealth health) {
        this.nodeId = nodeId;
        this.topic = topic;
        this.consumer = consumer;
        this.journal = journal;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.health = health;
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            TopicPartition partition = new TopicPartition(topic, NodePartition.of(nodeId,
                    consumer.partitionsFor(topic).size()));
            consumer.assign(List.of(partition));
            OptionalLong resume = journal.resumeOffset();
            if (resume.isPresent()) {
                consumer.seek(partition, resume.getAsLong());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            health.report(COMPONENT, ComponentState.up("reading " + partition));
            while (thread.running()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (nodeId.equals(keyOf(record))) {
                        apply(record);
                    }
                }
            }
        } catch (WakeupException stopping) {
            LOG.debug("node command loop stopping");
        } catch (Exception | Error e) {
            LOG.error("the node command loop died", e);
            health.report(COMPONENT, ComponentState.down("loop died: " + e));
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) throws Exception {
        NodeCommandEnvelope command;
        try {
            command = codec.decode(record.value());
        } catch (UndecodableEventException e) {
            deadLetter(record, e, "record:" + record.offset());
            return;
        }
        String commandId = command.getMetadata().getEventId().toString();
        if (journal.isApplied(commandId)) {
            LOG.debug("command {} at offset {} was applied before", commandId, record.offset());
            return;
        }
        try {
            handler.handle(command);
        } catch (Exception e) {
            deadLetter(record, e, commandId);
            return;
        }
        journal.record(record.offset(), commandId);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception error, String journalId)
            throws Exception {
        LOG.warn("dead-letters the node command at {}/{}@{}: {}", record.topic(), record.partition(),
                record.offset(), error.getMessage());
        deadLetters.send(record, error, "node-runner/" + nodeId);
        journal.record(record.offset(), journalId);
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        thread.stop(consumer::wakeup, Duration.ofSeconds(30));
        journal.close();
        health.report(COMPONENT, ComponentState.down("stopped"));
    }
}
