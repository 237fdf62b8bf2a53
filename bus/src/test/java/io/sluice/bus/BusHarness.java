package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.testapp.CountingApp;
import io.sluice.bus.testapp.Counters;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.util.PSQLException;

/** One isolated broker namespace and database for a bus test, with the counting app's wiring and probes. */
final class BusHarness implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final String SCHEMA = "counting";

    final IsolatedScope scope;
    final TopicNaming naming;
    final CountingApp.Wiring wiring;
    final DataSource countingSchema;

    BusHarness(String name) throws Exception {
        scope = TestInfra.shared().isolate(name);
        naming = new TopicNaming(scope.topicPrefix());
        wiring = new CountingApp.Wiring(scope.bootstrapServers(), scope.jdbcUrl(), scope.username(),
                scope.password(), SCHEMA, scope.topicPrefix());
        countingSchema = wiring.dataSource();
        new TopicCreator(scope.admin(), naming).createAll();
    }

    String topic(Topic topic) {
        return naming.nameOf(topic);
    }

    /** Commits one outbox row (value and event id {@code value}) outside any outbox, as another instance would. */
    static void commitOutboxRow(DataSource schema, String topic, String value) throws SQLException {
        try (Connection connection = schema.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO bus_outbox (topic, record_key, record_value, event_id) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, topic);
            insert.setBytes(2, value.getBytes(StandardCharsets.UTF_8));
            insert.setBytes(3, value.getBytes(StandardCharsets.UTF_8));
            insert.setString(4, value);
            insert.executeUpdate();
        }
    }

    /** Produces raw bytes to {@code topic} and waits for the broker's acknowledgement. */
    void produceRaw(Topic topic, String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<byte[], byte[]>(scope.producerProperties())) {
            producer.send(new ProducerRecord<>(topic(topic), key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    void produce(List<JobRequestEnvelope> requests) throws Exception {
        EventCodec<JobRequestEnvelope> codec = EventCodec.forTopic(Topic.JOB_REQUESTS);
        try (var producer = new KafkaProducer<byte[], byte[]>(scope.producerProperties())) {
            for (JobRequestEnvelope request : requests) {
                producer.send(new ProducerRecord<>(topic(Topic.JOB_REQUESTS),
                        request.getMetadata().getCorrelationId().getBytes(StandardCharsets.UTF_8),
                        codec.encode(request))).get();
            }
        }
    }

    <V extends SpecificRecordBase> List<V> readAll(Topic topic) {
        EventCodec<V> codec = EventCodec.forTopic(topic);
        return scope.topicReader().readAll(topic(topic)).stream()
                .map(ConsumerRecord::value).map(codec::decode).toList();
    }

    static Set<String> eventIds(List<? extends SpecificRecordBase> envelopes) {
        return envelopes.stream().map(e -> Envelopes.metadataOf(e).getEventId().toString())
                .collect(Collectors.toSet());
    }

    Map<String, Integer> applied() throws SQLException {
        return Counters.appliedRequests(countingSchema);
    }

    Map<String, Integer> accepted() throws SQLException {
        return Counters.acceptedSeen(countingSchema);
    }

    long unpublishedOutboxRows() throws SQLException {
        return Counters.count(countingSchema, "SELECT count(*) FROM bus_outbox WHERE published_at IS NULL");
    }

    long outboxRows() throws SQLException {
        return Counters.count(countingSchema, "SELECT count(*) FROM bus_outbox");
    }

    /**
     * Waits until every one of {@code jobs} was applied, accepted downstream, and the outbox is drained (the app's
     * tables may not exist yet while it migrates its schema).
     */
    void awaitAllCounted(List<String> jobs) {
        await().atMost(DEADLINE).ignoreExceptionsInstanceOf(PSQLException.class).untilAsserted(() -> {
            assertThat(applied()).containsOnlyKeys(jobs);
            assertThat(accepted()).containsOnlyKeys(jobs);
            assertThat(unpublishedOutboxRows()).isZero();
        });
    }

    /** Waits until the consumer group {@code group} has committed the end offset of every partition of the topic. */
    void awaitCaughtUp(String group, Topic topic) {
        await().atMost(DEADLINE).untilAsserted(() -> {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions(topic).forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
            scope.admin().listOffsets(latest).all().get().forEach((partition, end) -> {
                long position = committed.containsKey(partition) ? committed.get(partition).offset() : 0;
                assertThat(position).as("%s committed on %s", group, partition).isEqualTo(end.offset());
            });
        });
    }

    /** The offsets the consumer group {@code group} (named without the test's prefix) committed. */
    Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        return scope.admin().listConsumerGroupOffsets(naming.prefix() + group).partitionsToOffsetAndMetadata().get();
    }

    List<TopicPartition> partitions(Topic topic) throws Exception {
        String name = topic(topic);
        return scope.admin().describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()
                .stream().map(p -> new TopicPartition(name, p.partition())).toList();
    }

    @Override
    public void close() {
        scope.close();
    }
}
