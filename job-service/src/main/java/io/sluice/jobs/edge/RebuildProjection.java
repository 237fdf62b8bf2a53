package io.sluice.jobs.edge;

import io.sluice.bus.db.BusSchema;
import io.sluice.bus.db.Transactions;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.jobs.store.projection.JobProjector;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Rebuilds the job projection from {@code sluice.job.events}, offset 0 to the end, into the empty projection
 * tables of a schema of its own: how to check a projection, or to recover one, without touching the live schema
 * ({@code sluice admin rebuild-projections} runs it and compares). Records that cannot be decoded are skipped and
 * counted (the live consumer dead-lettered them).
 */
public final class RebuildProjection {

    /** How many undecodable records a result names (it counts them all). */
    private static final int NAMED = 20;
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long the broker may send nothing while the rebuild is short of the end before it gives up. */
    private static final Duration STALL = Duration.ofSeconds(30);

    /** What a rebuild read and applied; {@code skipped} names the first undecodable records and why. */
    public record Result(long read, long applied, long undecodable, List<String> skipped) {
    }

    private RebuildProjection() {
    }

    /** Reads every partition of the job events topic to its current end and applies each event to {@code target}. */
    public static Result rebuild(String bootstrapServers, TopicNaming naming, DataSource target, String schema)
            throws Exception {
        return rebuild(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), naming, target, schema);
    }

    /**
     * The rebuild with a consumer made of {@code clientProperties} (the brokers, and any login the broker asks for)
     * over the rebuild's own: no group, nothing committed, read-committed.
     */
    public static Result rebuild(Map<String, Object> clientProperties, TopicNaming naming, DataSource target,
                                 String schema) throws Exception {
        BusSchema.migrate(target, schema, "classpath:db/migration");
        Transactions transactions = new Transactions(target);
        JobProjector projector = new JobProjector();
        EventCodec<JobEventEnvelope> codec = EventCodec.forTopic(Topic.JOB_EVENTS);
        long read = 0;
        long applied = 0;
        long undecodable = 0;
        List<String> skipped = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(clientProperties))) {
            String topic = naming.nameOf(Topic.JOB_EVENTS);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long lastProgress = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                var records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("the broker sent nothing of " + topic + " for " + STALL
                            + " while the rebuild was short of the end " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // written after the rebuild began: not part of what it compares
                    }
                    read++;
                    JobEventEnvelope envelope;
                    try {
                        envelope = codec.decode(record.value());
                    } catch (RuntimeException e) {
                        undecodable++;
                        if (skipped.size() < NAMED) {
                            skipped.add(record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
                                    + e.getMessage());
                        }
                        continue;
                    }
                    boolean changed = transactions.inTransaction(connection -> {
                        // The relay publishes at least once: the topic may hold an event twice.
                        if (inHistory(connection, envelope.getMetadata().getEventId().toString())) {
                            return false;
                        }
                        projector.apply(connection, envelope.getMetadata(),
                                (SpecificRecord) Envelopes.payloadOf(envelope));
                        return true;
                    });
                    applied += changed ? 1 : 0;
                }
            }
        }
        return new Result(read, applied, undecodable, List.copyOf(skipped));
    }

    private static boolean inHistory(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM job_history WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static Properties consumerProperties(Map<String, Object> clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }
}
