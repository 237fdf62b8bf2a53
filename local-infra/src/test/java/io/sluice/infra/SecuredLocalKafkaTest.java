package io.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.TopicNaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecuredLocalKafkaTest {

    private static final TopicNaming NAMING = new TopicNaming("");
    private static LocalKafka kafka;
    private static final Map<SluicePrincipal, String> PASSWORDS = new EnumMap<>(SluicePrincipal.class);

    @BeforeAll
    static void startSecuredBroker() {
        kafka = LocalKafka.builder().secured("admin-pw-" + System.nanoTime()).start();
        for (SluicePrincipal principal : SluicePrincipal.values()) {
            PASSWORDS.put(principal, principal.userName() + "-pw-" + System.nanoTime());
        }
        SluicePrincipal.prepare(kafka, NAMING, PASSWORDS);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void the_user_submits_to_the_requests_topic_and_reads_it_back() throws Exception {
        produce(as(SluicePrincipal.USER), "sluice.job.requests", "job-1", "JobSubmitted");

        assertThat(readAll(as(SluicePrincipal.USER), "sluice.job.requests")).contains("job-1=JobSubmitted");
    }

    @Test
    void the_user_may_not_write_the_services_topics() {
        assertThatThrownBy(() -> produce(as(SluicePrincipal.USER), "sluice.job.events", "job-1", "JobFinished"))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class)
                .rootCause().hasMessageContaining("sluice.job.events");
    }

    @Test
    void the_node_runner_may_not_read_the_job_requests() {
        Map<String, Object> config = as(SluicePrincipal.NODE_RUNNER);
        assertThatThrownBy(() -> readAll(config, "sluice.job.requests"))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void a_wrong_password_is_refused() {
        Map<String, Object> config = client(LocalKafka.scramClientProperties("user", "not-the-password"));
        assertThatThrownBy(() -> produce(config, "sluice.job.requests", "job-1", "JobSubmitted"))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void only_the_admin_creates_topics_and_every_topic_exists() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("sluice.job.requests",
                    "sluice.node.commands", "sluice.deadletter");
        }
        Map<String, Object> service = as(SluicePrincipal.JOB_SERVICE);
        service.put("request.timeout.ms", 10_000);
        service.put("default.api.timeout.ms", 10_000);
        try (Admin asService = Admin.create(service)) {
            assertThatThrownBy(() -> asService.createTopics(List.of(
                    new org.apache.kafka.clients.admin.NewTopic("sluice.sneaky", 1, (short) 1))).all()
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void every_service_reads_and_writes_only_its_own_topics() {
        assertThat(SluicePrincipal.NODE_RUNNER.writes()).doesNotContain(io.sluice.schemas.Topic.NODE_COMMANDS,
                io.sluice.schemas.Topic.JOB_EVENTS);
        assertThat(SluicePrincipal.USER.writes()).containsExactly(io.sluice.schemas.Topic.JOB_REQUESTS);
        assertThat(SluicePrincipal.JOB_SERVICE.acls(new TopicNaming("t1."))).anySatisfy(acl ->
                assertThat(acl.pattern().name()).isEqualTo("t1.job-service."));
    }

    private static Map<String, Object> as(SluicePrincipal principal) {
        return client(LocalKafka.scramClientProperties(principal.userName(), PASSWORDS.get(principal)));
    }

    private static Map<String, Object> client(Map<String, String> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    private static void produce(Map<String, Object> client, String topic, String key, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(15, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.key() + "=" + record.value());
                }
            }
            return values;
        }
    }
}
