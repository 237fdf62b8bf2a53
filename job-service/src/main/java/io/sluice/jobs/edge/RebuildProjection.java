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
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the job projection from {@code sluice.job.events}, offset 0 to the end, into the empty projection
 * tables of a schema of its own: how to check a projection, or to recover one, without touching the live schema.
 * Records that cannot be decoded are skipped and counted (the live consumer dead-lettered them).
 */
public final class RebuildProjection {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildProjection.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What a rebuild read and applied. */
    public record Result(long read, long applied, long undecodable) {
    }

    private RebuildProjection() {
    }

    /** Reads every partition of the job events topic to its current end and applies each event to {@code target}. */
    public static Result rebuild(String bootstrapServers, TopicNaming naming, DataSource target, String schema)
            throws Exception {
        BusSchema.migrate(target, schema, "classpath:db/migration");
        Transactions transactions = new Transactions(target);
        JobProjector projector = new JobProjector();
        EventCodec<JobEventEnvelope> codec = EventCodec.forTopic(Topic.JOB_EVENTS);
        long read = 0;
        long applied = 0;
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers))) {
            String topic = naming.nameOf(Topic.JOB_EVENTS);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    read++;
                    JobEventEnvelope envelope;
                    try {
                        envelope = codec.decode(record.value());
                    } catch (RuntimeException e) {
                        undecodable++;
                        LOG.warn("skipping {}/{}@{}: {}", record.topic(), record.partition(), record.offset(),
                                e.getMessage());
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
        return new Result(read, applied, undecodable);
    }

    private static boolean inHistory(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM job_history WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static Properties consumerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    /** {@code RebuildProjection <bootstrap-servers> <topic-prefix> <jdbc-url> <user> <password> <schema>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: RebuildProjection <bootstrap-servers> <topic-prefix> <jdbc-url> <user> "
                    + "<password> <target-schema>");
            System.exit(2);
        }
        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setUrl(args[2]);
        target.setUser(args[3]);
        target.setPassword(args[4]);
        target.setCurrentSchema(args[5]);
        Result result = rebuild(args[0], new TopicNaming(args[1]), target, args[5]);
        System.out.printf("read %d events, applied %d, skipped %d undecodable, into schema %s%n", result.read(),
                result.applied(), result.undecodable(), args[5]);
    }
}
