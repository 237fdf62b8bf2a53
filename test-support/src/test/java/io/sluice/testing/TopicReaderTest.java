package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicReaderTest {

    @RegisterExtension
    static final IsolatedScopeExtension scope = new IsolatedScopeExtension();

    @Test
    void reads_every_partition_from_the_beginning() throws Exception {
        String topic = createTopic("sluice.job.events", 3);
        produce(topic, "job-1", "job-2", "job-3", "job-4", "job-5", "job-6");

        List<ConsumerRecord<byte[], byte[]>> records = scope.get().topicReader().awaitRecords(topic, 6, Duration.ofSeconds(10));

        assertThat(records).extracting(record -> new String(record.key(), UTF_8))
                .containsExactlyInAnyOrder("job-1", "job-2", "job-3", "job-4", "job-5", "job-6");
        assertThat(records).extracting(ConsumerRecord::partition).isSorted();
        assertThat(scope.get().topicReader().readAll(topic)).hasSize(6);
    }

    @Test
    void waits_for_a_topic_that_is_created_while_waiting(IsolatedScope isolated) throws Exception {
        String topic = isolated.topic("sluice.later");
        CompletableFuture<List<ConsumerRecord<byte[], byte[]>>> waiting = CompletableFuture.supplyAsync(
                () -> isolated.topicReader().awaitRecords(topic, 1, Duration.ofSeconds(20)));

        createTopic("sluice.later", 1);
        produce(topic, "job-1");

        assertThat(waiting.get()).hasSize(1);
    }

    @Test
    void fails_with_what_arrived_when_too_few_records_come() throws Exception {
        String topic = createTopic("sluice.short", 1);
        produce(topic, "job-1", "job-2");

        assertThatThrownBy(() -> scope.get().topicReader().awaitRecords(topic, 3, Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected at least 3 records on " + topic)
                .hasMessageContaining("but 2 arrived")
                .hasMessageContaining("0@0 key=\"job-1\" value=\"event of job-1\"")
                .hasMessageContaining("0@1 key=\"job-2\"");
    }

    @Test
    void fails_by_name_when_the_topic_never_appears() {
        assertThatThrownBy(() -> scope.get().topicReader().awaitRecords(scope.get().topic("sluice.never"), 1, Duration.ofSeconds(1)))
                .hasMessageContaining("did not exist");
    }

    @Test
    void describes_binary_values_as_hex() {
        var record = new ConsumerRecord<>("t", 0, 7, "k".getBytes(UTF_8), new byte[] {(byte) 0xC3, 0x01, 0x00});

        assertThat(TopicReader.describe(record)).isEqualTo("0@7 key=\"k\" value=3 bytes 0xc30100");
    }

    private static String createTopic(String name, int partitions) throws Exception {
        String topic = scope.get().topic(name);
        scope.get().admin().createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return topic;
    }

    private static void produce(String topic, String... keys) throws Exception {
        try (var producer = new KafkaProducer<byte[], byte[]>(scope.get().producerProperties())) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(topic, key.getBytes(UTF_8), ("event of " + key).getBytes(UTF_8)));
            }
            producer.flush();
        }
    }
}
