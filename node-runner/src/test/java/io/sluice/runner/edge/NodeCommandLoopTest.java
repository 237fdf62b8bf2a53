package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.kafka.EventSender;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.runner.edge.commands.CommandHandler;
import io.sluice.runner.store.CommandJournal;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.schemas.UndecodableEventException;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner reads its own partition only, applies each command once across restarts, survives poison, and applies
 * different workers' commands side by side, each worker's in order.
 */
class NodeCommandLoopTest {

    private static final String NODE = "node-a";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);

    @TempDir
    Path stateDir;

    private IsolatedScope scope;
    private TopicNaming naming;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventCodec<NodeCommandEnvelope> codec = EventCodec.forTopic(Topic.NODE_COMMANDS);

    @BeforeEach
    void isolate() throws Exception {
        scope = TestInfra.shared().isolate("node-commands");
        naming = new TopicNaming(scope.topicPrefix());
        new TopicCreator(scope.admin(), naming).createAll();
        producer = new KafkaProducer<>(scope.producerProperties());
    }

    @AfterEach
    void release() {
        producer.close();
        scope.close();
    }

    @Test
    void the_node_partition_is_where_the_default_partitioner_puts_the_node_id() throws Exception {
        for (String node : List.of("node-a", "node-b", "gpu-host-17", "lab-3")) {
            RecordMetadata sent = send(node, codec.encode(destroyWorker(node)));
            assertThat(sent.partition()).isEqualTo(NodePartition.of(node, Topic.NODE_COMMANDS.partitions()));
        }
    }

    @Test
    void applies_its_own_commands_once_dead_letters_poison_and_resumes_after_a_restart() throws Exception {
        NodeCommandEnvelope first = destroyWorker(NODE);
        NodeCommandEnvelope second = destroyWorker(NODE);
        send(NODE, codec.encode(first));
        send("node-b", codec.encode(destroyWorker("node-b")));
        RecordMetadata poison = send(NODE, "not a command".getBytes(StandardCharsets.UTF_8));
        send(NODE, codec.encode(first));
        send(NODE, codec.encode(second));

        try (NodeCommandLoop loop = startLoop()) {
            await().atMost(DEADLINE).until(() -> handled.size() >= 2);
            List<DeadLetter> deadLetters = scope.topicReader()
                    .awaitRecords(naming.nameOf(Topic.DEAD_LETTER), 1, DEADLINE).stream()
                    .map(r -> (DeadLetter) EventCodec.<DeadLetterEnvelope>forTopic(Topic.DEAD_LETTER)
                            .decode(r.value()).getPayload())
                    .toList();
            assertThat(deadLetters).singleElement().satisfies(d -> {
                assertThat(d.getOffset()).isEqualTo(poison.offset());
                assertThat(d.getErrorClass()).isEqualTo(UndecodableEventException.class.getName());
                assertThat(d.getErrorMessage()).contains(Topic.NODE_COMMANDS.topicName());
            });
            assertThat(registry.get("sluice.dead.letters").tags("consumer", "node-commands", "topic",
                    Topic.NODE_COMMANDS.topicName()).counter().count()).as("dead letters counted").isEqualTo(1.0);
        }
        assertThat(handled).containsExactly(idOf(first), idOf(second));

        NodeCommandEnvelope third = destroyWorker(NODE);
        send(NODE, codec.encode(third));
        send(NODE, codec.encode(second));
        try (NodeCommandLoop restarted = startLoop()) {
            await().atMost(DEADLINE).until(() -> handled.contains(idOf(third)));
        }
        assertThat(handled).containsExactly(idOf(first), idOf(second), idOf(third));
    }

    @Test
    void a_worker_stuck_on_a_command_holds_up_only_its_own_later_commands_and_a_crash_loses_none() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CommandHandler stuckOnSlow = command -> {
            if (((DestroyWorker) command.getPayload()).getWorkerId().equals("slow")) {
                release.await();
            }
            handled.add(idOf(command));
            return DONE;
        };
        NodeCommandEnvelope slowFirst = destroyWorker(NODE, "slow");
        NodeCommandEnvelope fastFirst = destroyWorker(NODE, "fast");
        NodeCommandEnvelope slowSecond = destroyWorker(NODE, "slow");
        NodeCommandEnvelope fastSecond = destroyWorker(NODE, "fast");
        long slowOffset = send(NODE, codec.encode(slowFirst)).offset();
        for (NodeCommandEnvelope command : List.of(fastFirst, slowSecond, fastSecond)) {
            send(NODE, codec.encode(command));
        }
        Path journalPath = stateDir.resolve("applied-commands.log");
        Path crashedState = stateDir.resolve("crashed");

        try (NodeCommandLoop loop = startLoop(journalPath, stuckOnSlow)) {
            await().atMost(DEADLINE).until(() -> handled.size() == 2);
            assertThat(handled).containsExactly(idOf(fastFirst), idOf(fastSecond));
            // What a kill -9 would leave on disk now: the fast worker's commands recorded, the slow one's not.
            await().atMost(DEADLINE).until(() -> recordedOnDisk(journalPath, idOf(fastSecond)));
            Files.createDirectories(crashedState);
            Files.copy(journalPath, crashedState.resolve("applied-commands.log"));
            try (CommandJournal onDisk = CommandJournal.open(crashedState.resolve("applied-commands.log"))) {
                assertThat(onDisk.resumeOffset()).hasValue(slowOffset);
            }
            release.countDown();
            await().atMost(DEADLINE).until(() -> handled.size() == 4);
        }
        assertThat(handled.subList(2, 4)).containsExactly(idOf(slowFirst), idOf(slowSecond));

        handled.clear();
        NodeCommandEnvelope marker = destroyWorker(NODE, "fast");
        try (NodeCommandLoop restarted = startLoop(crashedState.resolve("applied-commands.log"),
                this::handle)) {
            await().atMost(DEADLINE).until(() -> handled.size() >= 2);
            send(NODE, codec.encode(marker));
            await().atMost(DEADLINE).until(() -> handled.contains(idOf(marker)));
        }
        assertThat(handled).as("after the crash: the slow worker's commands again, in order, the fast one's not")
                .containsExactly(idOf(slowFirst), idOf(slowSecond), idOf(marker));
    }

    @Test
    void a_command_that_can_be_neither_applied_nor_dead_lettered_stops_the_loop_and_is_applied_after_a_restart()
            throws Exception {
        NodeCommandEnvelope command = destroyWorker(NODE);
        send(NODE, codec.encode(command));
        KafkaProducer<byte[], byte[]> closed = new KafkaProducer<>(scope.producerProperties());
        closed.close();
        ServiceHealth health = new ServiceHealth();
        Path journal = stateDir.resolve("applied-commands.log");
        NodeCommandLoop failing = new NodeCommandLoop(NODE, naming.nameOf(Topic.NODE_COMMANDS),
                new KafkaConsumer<>(scope.consumerProperties(null)), CommandJournal.open(journal),
                c -> {
                    throw new IllegalStateException("a bug");
                },
                new DeadLetterSender(new EventSender(closed, naming), "node-runner/test", Clock.systemUTC(),
                        new BusMetrics(registry)),
                health);

        try (failing) {
            failing.start();
            await().atMost(DEADLINE).until(() -> health.snapshot().get("node commands").status()
                    == ComponentState.Status.DOWN);
            assertThat(health.snapshot().get("node commands").detail()).contains("loop died");
        }

        try (NodeCommandLoop restarted = startLoop()) {
            await().atMost(DEADLINE).until(() -> handled.contains(idOf(command)));
        }
    }

    @Test
    void a_workers_next_command_need_not_wait_for_the_broker_and_a_command_whose_events_failed_is_applied_again()
            throws Exception {
        CompletableFuture<Void> firstAcknowledged = new CompletableFuture<>();
        NodeCommandEnvelope first = destroyWorker(NODE, "w");
        NodeCommandEnvelope second = destroyWorker(NODE, "w");
        CommandHandler firstUnacknowledged = command -> {
            handled.add(idOf(command));
            return idOf(command).equals(idOf(first)) ? firstAcknowledged : DONE;
        };
        send(NODE, codec.encode(first));
        send(NODE, codec.encode(second));
        ServiceHealth health = new ServiceHealth();
        Path journal = stateDir.resolve("applied-commands.log");
        try (NodeCommandLoop loop = new NodeCommandLoop(NODE, naming.nameOf(Topic.NODE_COMMANDS),
                new KafkaConsumer<>(scope.consumerProperties(null)), CommandJournal.open(journal),
                firstUnacknowledged,
                new DeadLetterSender(new EventSender(producer, naming), "node-runner/test", Clock.systemUTC(),
                        new BusMetrics(registry)),
                health)) {
            loop.start();
            await().atMost(DEADLINE).until(() -> handled.size() == 2);
            assertThat(handled).as("the second command ran while the first one's events were unacknowledged")
                    .containsExactly(idOf(first), idOf(second));
            firstAcknowledged.completeExceptionally(new IllegalStateException("the broker is gone"));
            await().atMost(DEADLINE).until(() -> health.snapshot().get("node commands").status()
                    == ComponentState.Status.DOWN);
        }

        handled.clear();
        NodeCommandEnvelope marker = destroyWorker(NODE, "w");
        send(NODE, codec.encode(marker));
        try (NodeCommandLoop restarted = startLoop()) {
            await().atMost(DEADLINE).until(() -> handled.contains(idOf(marker)));
        }
        assertThat(handled).as("the unacknowledged command again, the acknowledged one not")
                .containsExactly(idOf(first), idOf(marker));
    }

    private NodeCommandLoop startLoop() throws Exception {
        return startLoop(stateDir.resolve("applied-commands.log"), this::handle);
    }

    private CompletableFuture<?> handle(NodeCommandEnvelope command) {
        handled.add(idOf(command));
        return DONE;
    }

    private NodeCommandLoop startLoop(Path journal, CommandHandler handler) throws Exception {
        NodeCommandLoop loop = new NodeCommandLoop(NODE, naming.nameOf(Topic.NODE_COMMANDS),
                new KafkaConsumer<>(scope.consumerProperties(null)),
                CommandJournal.open(journal), handler,
                new DeadLetterSender(new EventSender(producer, naming), "node-runner/test", Clock.systemUTC(),
                        new BusMetrics(registry)),
                new ServiceHealth());
        loop.start();
        return loop;
    }

    /** Whether a restarted runner would read the command as applied (from a copy: the loop's file stays its own). */
    private boolean recordedOnDisk(Path journal, String commandId) throws Exception {
        Path copy = stateDir.resolve("peek/applied-commands.log");
        Files.createDirectories(copy.getParent());
        Files.copy(journal, copy, StandardCopyOption.REPLACE_EXISTING);
        try (CommandJournal read = CommandJournal.open(copy)) {
            return read.isApplied(commandId);
        }
    }

    private RecordMetadata send(String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(naming.nameOf(Topic.NODE_COMMANDS),
                key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static String idOf(NodeCommandEnvelope command) {
        return command.getMetadata().getEventId().toString();
    }

    private static NodeCommandEnvelope destroyWorker(String node) {
        return destroyWorker(node, "worker-1");
    }

    private static NodeCommandEnvelope destroyWorker(String node, String workerId) {
        return NodeCommandEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), Instant.now(), "job-1", null, "test"))
                .setPayload(DestroyWorker.newBuilder().setNodeId(node).setWorkerId(workerId).setJobId("job-1")
                        .setReason(null).build())
                .build();
    }
}
