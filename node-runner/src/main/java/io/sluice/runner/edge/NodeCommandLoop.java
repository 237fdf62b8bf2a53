package io.sluice.runner.edge;

import io.sluice.bus.LoopThread;
import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.runner.domain.CommandOrder;
import io.sluice.runner.edge.commands.CommandHandler;
import io.sluice.runner.store.CommandJournal;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the commands addressed to this node: only the partition its node id hashes to, from where its journal
 * left off, skipping other nodes' keys and commands it already applied. Each worker's commands are applied in the
 * order read, one at a time, while other workers' commands go on beside them ({@link CommandLanes}), so that one
 * worker's slow preparation or launch holds up no other worker. Undecodable records and commands whose handling
 * fails are dead-lettered, and the loop goes on. It owns its journal and closes it when it stops.
 */
public final class NodeCommandLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCommandLoop.class);
    private static final String COMPONENT = "node commands";
    /** Commands read but not yet applied, at most: beyond this the loop stops reading until some are done. */
    private static final int MAX_UNDER_WAY = 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String nodeId;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final CommandJournal journal;
    private final CommandHandler handler;
    private final DeadLetterSender deadLetters;
    private final ServiceHealth health;
    private final EventCodec<NodeCommandEnvelope> codec = EventCodec.forTopic(Topic.NODE_COMMANDS);
    private final LoopThread thread = new LoopThread("node-commands", this::run);
    private final CommandLanes lanes = new CommandLanes();
    /** Journals commands in the order they took effect, on one thread of its own. */
    private final ExecutorService journaling = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "node-command-journal");
        thread.setDaemon(true);
        return thread;
    });
    /** Commands applied whose events the broker has not acknowledged yet: journaled once it has. */
    private final Set<CompletableFuture<?>> unacknowledged = ConcurrentHashMap.newKeySet();
    private final Semaphore underWay = new Semaphore(MAX_UNDER_WAY);
    /** A failure of a lane that the loop cannot go on after (the journal or the dead-letter topic failed). */
    private final AtomicReference<Exception> laneFailure = new AtomicReference<>();

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
                    throwIfALaneFailed();
                    if (nodeId.equals(keyOf(record))) {
                        dispatch(record);
                    } else {
                        journal.passed(record.offset());
                    }
                }
                throwIfALaneFailed();
            }
        } catch (WakeupException | InterruptedException woken) {
            if (laneFailure.get() != null) {
                died(laneFailure.get()); // a lane woke the loop to stop it
            } else {
                LOG.debug("node command loop stopping");
            }
        } catch (Exception | Error e) {
            died(e);
        } finally {
            consumer.close();
        }
    }

    private void died(Throwable cause) {
        LOG.error("the node command loop died", cause);
        health.report(COMPONENT, ComponentState.down("loop died: " + cause));
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) throws Exception {
        NodeCommandEnvelope command;
        try {
            command = codec.decode(record.value());
        } catch (UndecodableEventException e) {
            String journalId = "record:" + record.offset();
            if (journal.claim(record.offset(), journalId)) {
                deadLetter(record, e, journalId);
            }
            return;
        }
        String commandId = command.getMetadata().getEventId().toString();
        if (!journal.claim(record.offset(), commandId)) {
            LOG.debug("command {} at offset {} was applied before or is being applied", commandId, record.offset());
            return;
        }
        while (!underWay.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            throwIfALaneFailed();
            if (!thread.running()) {
                return; // claimed but not recorded: a restarted runner reads it again
            }
        }
        lanes.submit(CommandOrder.laneOf(command), () -> {
            try {
                apply(record, command, commandId);
            } finally {
                underWay.release();
            }
        });
    }

    /** On the command's lane. */
    private void apply(ConsumerRecord<byte[], byte[]> record, NodeCommandEnvelope command, String commandId) {
        try {
            CompletableFuture<?> acknowledged = handleOrDeadLetter(record, command);
            unacknowledged.add(acknowledged);
            acknowledged.whenComplete((ignored, failure) -> {
                unacknowledged.remove(acknowledged);
                if (failure != null) {
                    fail(failure, record.offset(), commandId);
                } else {
                    recordLater(record.offset(), commandId);
                }
            });
        } catch (Exception | Error e) {
            fail(e, record.offset(), commandId);
        }
    }

    /** The handler's acknowledgement; a command whose handling threw is dead-lettered, which counts as applied. */
    private CompletableFuture<?> handleOrDeadLetter(ConsumerRecord<byte[], byte[]> record, NodeCommandEnvelope command)
            throws Exception {
        try {
            return handler.handle(command);
        } catch (Exception e) {
            sendToDeadLetters(record, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Journals a command that took effect without holding up its worker's next command: a LaunchProcess sent right
     * behind its PrepareWorker waits neither for the broker to acknowledge WorkerPrepared nor for the preparation's
     * line to be forced to disk. Lines are still written only once their command took effect (events acknowledged),
     * so a kill -9 loses none; only a host crash during a force can lose lines, and their commands are then applied
     * again, as they always could be.
     */
    private void recordLater(long offset, String commandId) {
        journaling.execute(() -> {
            try {
                journal.record(offset, commandId);
            } catch (RuntimeException e) {
                fail(e, offset, commandId);
            }
        });
    }

    /** The command stays claimed and unrecorded: nothing after its offset counts as done, a restart applies it. */
    private void fail(Throwable error, long offset, String commandId) {
        if (laneFailure.compareAndSet(null, error instanceof Exception e ? e : new IllegalStateException(error))) {
            try {
                consumer.wakeup();
            } catch (RuntimeException closed) {
                LOG.debug("the command loop has stopped already: {}", closed.toString());
            }
        }
        LOG.error("cannot finish command {} at offset {}", commandId, offset, error);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception error, String journalId)
            throws Exception {
        sendToDeadLetters(record, error);
        journal.record(record.offset(), journalId);
    }

    private void sendToDeadLetters(ConsumerRecord<byte[], byte[]> record, Exception error) throws Exception {
        LOG.warn("dead-letters the node command at {}/{}@{}: {}", record.topic(), record.partition(),
                record.offset(), error.getMessage());
        deadLetters.send(record, error, "node-runner/" + nodeId);
    }

    private void throwIfALaneFailed() throws Exception {
        Exception failure = laneFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        thread.stop(consumer::wakeup, CLOSE_TIMEOUT);
        if (!lanes.close(CLOSE_TIMEOUT)) {
            LOG.warn("commands still being applied after {}: a restarted runner applies them again", CLOSE_TIMEOUT);
        }
        try {
            CompletableFuture.allOf(unacknowledged.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("events of some commands were not acknowledged: a restarted runner applies them again");
        }
        journaling.shutdown();
        journaling.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        journal.close();
        health.report(COMPONENT, ComponentState.down("stopped"));
    }
}
