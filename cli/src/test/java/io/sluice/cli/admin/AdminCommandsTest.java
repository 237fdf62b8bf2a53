package io.sluice.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.cli.CommandRun;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin commands on a test's topics of the shared broker: reset-offsets moves a stopped service's groups and
 * refuses while a group has a member; bad options of both commands are named, before anything is touched.
 */
class AdminCommandsTest {

    private static IsolatedScope scope;
    private static TopicNaming naming;

    @BeforeAll
    static void createTopics() {
        scope = TestInfra.shared().isolate("cli-admin");
        naming = new TopicNaming(scope.topicPrefix());
        new TopicCreator(scope.admin(), naming).createAll();
    }

    @AfterAll
    static void close() {
        scope.close();
    }

    @Test
    void reset_offsets_moves_a_stopped_services_groups_to_the_beginning_and_refuses_a_live_one() throws Exception {
        String topic = naming.nameOf(Topic.RESOURCE_DEMANDS);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(scope.producerProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {1})).get();
            }
        }
        String group = scope.topicPrefix() + "resource-well.demands";
        try (KafkaConsumer<byte[], byte[]> well = new KafkaConsumer<>(scope.consumerProperties("resource-well.demands"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            well.subscribe(List.of(topic));
            TopicPartition first = new TopicPartition(topic, 0);
            await().atMost(EventHarness.DEADLINE).pollInSameThread().until(() -> {
                well.poll(Duration.ofMillis(100));
                return !well.assignment().isEmpty();
            });
            well.commitSync(Map.of(first, new OffsetAndMetadata(3)));

            CommandRun refused = admin("reset-offsets", "--service", "resource-well", "--to-earliest");

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("refused: resource-well is running: its group " + group
                    + " (1 member: ").contains("Stop every instance of resource-well and run this again.");
        }

        CommandRun dryRun = admin("reset-offsets", "--service", "resource-well", "--to-earliest", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains(group + "  " + topic + "-0  3 -> 0")
                .contains("would reset 3 partitions of 1 group of resource-well to the earliest offsets (dry run");
        assertThat(committed(group)).isEqualTo(3);

        CommandRun reset = admin("reset-offsets", "--service", "resource-well", "--to-earliest");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains(group + "  " + topic + "-0  3 -> 0")
                .contains("reset 3 partitions of 1 group of resource-well to the earliest offsets; start "
                        + "resource-well to read from there");
        assertThat(committed(group)).isZero();

        CommandRun future = admin("reset-offsets", "--service", "resource-well", "--to", "2999-01-01T00:00:00Z", "-o",
                "json");
        assertThat(future.exitCode()).as(future.toString()).isZero();
        assertThat(future.out()).contains("{\"group\":\"" + group + "\",\"topic\":\"" + topic
                + "\",\"partition\":0,\"committed\":0,\"reset\":3,\"dryRun\":false}");
        assertThat(committed(group)).isEqualTo(3);
    }

    @Test
    void reset_offsets_of_a_service_without_groups_says_so() {
        CommandRun run = admin("reset-offsets", "--service", "worker-factory", "--to-earliest");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("has no consumer group '" + scope.topicPrefix() + "worker-factory.*'");
    }

    @Test
    void bad_options_are_named_and_change_nothing() {
        assertThat(admin("reset-offsets", "--service", "node-runner", "--to-earliest").err())
                .contains("--service: node-runner has no consumer group");
        assertThat(admin("reset-offsets", "--service", "jobs", "--to-earliest").err())
                .contains("--service: 'jobs' is no Sluice service with consumer groups; one of job-service, "
                        + "resource-well, worker-factory");
        CommandRun badTime = admin("reset-offsets", "--service", "job-service", "--to", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("--to: 'yesterday' is no time: write it as ISO-8601 in UTC");
        CommandRun sameSchema = admin("rebuild-projections", "--scratch-schema", "job_service");
        assertThat(sameSchema.exitCode()).isEqualTo(2);
        assertThat(sameSchema.err()).contains("--scratch-schema: 'job_service' is dropped and made anew: it must be "
                + "a schema of its own");
        CommandRun noPassword = admin("rebuild-projections", "--db-password-file", "/nonexistent/password");
        assertThat(noPassword.exitCode()).isEqualTo(2);
        assertThat(noPassword.err()).contains("--db-password-file: no password file at [/nonexistent/password]");
    }

    private static long committed(String group) throws Exception {
        return scope.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(naming.nameOf(Topic.RESOURCE_DEMANDS), 0)).offset();
    }

    private static CommandRun admin(String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        return CommandRun.on(scope, all.toArray(String[]::new));
    }
}
