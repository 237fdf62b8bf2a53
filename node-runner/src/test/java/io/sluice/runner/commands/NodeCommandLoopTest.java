package io.sluice.runner.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.kafka.EventSender;
import io.sluice.events.deadletter.DeadLetter;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.runner.state.CommandJournal;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.schemas.UndecodableEventException;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runner reads its own partition only, applies each command once across restarts, and survives poison. */
class NodeCommandLoopTest {

    private static final String NODE = "node-a";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    private IsolatedScope scope;
    private TopicNaming naming;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<String> handled = new CopyOnWriteArrayList<>();
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

    private NodeCommandLoop startLoop() throws Exception {
        NodeCommandLoop loop = new NodeCommandLoop(NODE, naming.nameOf(Topic.NODE_COMMANDS),
                new KafkaConsumer<>(scope.consumerProperties(null)),
                CommandJournal.open(stateDir.resolve("applied-commands.log")),
                command -> handled.add(idOf(command)),
                new DeadLetterSender(new EventSender(producer, naming), "node-runner/test", Clock.systemUTC()),
                new ServiceHealth());
        loop.start();
        return loop;
    }

    private RecordMetadata send(String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(naming.nameOf(Topic.NODE_COMMANDS),
                key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static String idOf(NodeCommandEnvelope command) {
        return command.getMetadata().getEventId().toString();
    }

    private static NodeCommandEnvelope destroyWorker(String node) {
        return NodeCommandEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), Instant.now(), "job-1", null, "test"))
                .setPayload(DestroyWorker.newBuilder().setNodeId(node).setWorkerId("worker-1").setJobId("job-1")
                        .setReason(null).build())
                .build();
    }
}
