package io.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @Test
    void a_produced_record_is_consumed() throws Exception {
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            createTopic(kafka, "sluice.test.events");

            produce(kafka, "sluice.test.events", "job-1", "JobSubmitted");

            assertThat(readAll(kafka, "sluice.test.events", 1)).containsExactly("job-1=JobSubmitted");
        }
    }

    @Test
    void topics_refuse_to_be_created_by_merely_producing_to_them() throws Exception {
        try (LocalKafka kafka = LocalKafka.startTemporary(); Admin admin = admin(kafka)) {
            createTopic(kafka, "sluice.test.known");

            assertThat(admin.listTopics().names().get()).containsExactly("sluice.test.known");
            assertThat(kafka.bootstrapServers()).startsWith("localhost:");
        }
    }

    @Test
    void a_persistent_broker_keeps_its_port_topics_and_records_across_restarts(@TempDir Path directory) throws Exception {
        int port = freePort();
        try (LocalKafka kafka = LocalKafka.builder().dataDirectory(directory).port(port).start()) {
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
            createTopic(kafka, "sluice.test.kept");
            produce(kafka, "sluice.test.kept", "job-1", "before restart");
        }

        try (LocalKafka kafka = LocalKafka.builder().dataDirectory(directory).port(port).start()) {
            produce(kafka, "sluice.test.kept", "job-1", "after restart");

            assertThat(readAll(kafka, "sluice.test.kept", 2))
                    .containsExactly("job-1=before restart", "job-1=after restart");
        }
        assertThat(directory).isNotEmptyDirectory();
    }

    private static Admin admin(LocalKafka kafka) {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static void createTopic(LocalKafka kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static void produce(LocalKafka kafka, String topic, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> readAll(LocalKafka kafka, String topic, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record.key() + "=" + record.value());
                }
            }
            return records;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
