package io.sluice.testing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Reads whole topics from their beginning, all partitions, without a consumer group, for assertions in tests. */
public final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration READ_ALL_LIMIT = Duration.ofSeconds(30);
    /** How long one look-up may wait for the broker to answer. */
    private static final Duration TOPIC_LOOKUP = Duration.ofMillis(200);
    private static final int SHOWN_RECORDS = 20;

    private final Map<String, Object> consumerProperties;

    /** Reads with these consumer settings; a {@code group.id} among them is ignored. */
    public TopicReader(Map<String, Object> consumerProperties) {
        this.consumerProperties = Map.copyOf(consumerProperties);
    }

    /** Every record the topic holds now, from all partitions, in partition then offset order. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic, READ_ALL_LIMIT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long giveUpAt = System.nanoTime() + READ_ALL_LIMIT.toNanos();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > giveUpAt) {
                    throw new AssertionError("Could not read " + topic + " up to " + ends + " within " + READ_ALL_LIMIT
                            + "; read " + records.size() + " records");
                }
                consumer.poll(POLL).forEach(records::add);
            }
            return inPartitionOrder(records);
        }
    }

    /**
     * Polls the topic from its beginning until it holds at least {@code atLeast} records, and returns all it read;
     * fails after {@code deadline} with what did arrive. The topic may be created while this waits.
     */
    public List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int atLeast, Duration deadline) {
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            if (!awaitTopic(consumer, topic, deadline)) {
                throw new AssertionError("Topic " + topic + " did not exist within " + deadline
                        + " (expected at least " + atLeast + " records)");
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (records.size() < atLeast && System.nanoTime() < giveUpAt) {
                consumer.poll(POLL).forEach(records::add);
            }
            if (records.size() < atLeast) {
                throw new AssertionError(describeShortfall(topic, atLeast, deadline, records));
            }
            return inPartitionOrder(records);
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> properties = new HashMap<>(consumerProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // The broker holds an empty fetch this long; keep it short so a wait notices new records promptly.
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits for the topic to exist, then assigns all its partitions from the beginning; false if it never did. */
    private static boolean awaitTopic(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration deadline) {
        try {
            // A look-up for a missing topic answers at once, so the pacing between look-ups comes from Awaitility.
            Awaitility.await().atMost(deadline).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(() -> assignFromBeginningIfExists(consumer, topic));
            return true;
        } catch (ConditionTimeoutException topicNeverAppeared) {
            return false;
        }
    }

    private static boolean assignFromBeginningIfExists(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        try {
            return !assignFromBeginning(consumer, topic, TOPIC_LOOKUP).isEmpty();
        } catch (TimeoutException brokerNotAnsweringYet) {
            return false;
        }
    }

    /** Assigns every partition of the topic at its first offset; none when the topic does not exist (yet). */
    private static List<TopicPartition> assignFromBeginning(KafkaConsumer<byte[], byte[]> consumer, String topic,
                                                            Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        List<TopicPartition> partitions = infos == null ? List.of()
                : infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private static List<ConsumerRecord<byte[], byte[]>> inPartitionOrder(List<ConsumerRecord<byte[], byte[]>> records) {
        records.sort((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        return records;
    }

    private static String describeShortfall(String topic, int atLeast, Duration deadline,
                                            List<ConsumerRecord<byte[], byte[]>> records) {
        String shown = records.stream().limit(SHOWN_RECORDS).map(TopicReader::describe)
                .collect(Collectors.joining("\n  ", "\n  ", ""));
        return "Expected at least " + atLeast + " records on " + topic + " within " + deadline + " but "
                + records.size() + " arrived" + (records.isEmpty() ? "" : ":" + shown)
                + (records.size() > SHOWN_RECORDS ? "\n  ..." : "");
    }

    /** One line per record: where it is, and its key and value as text when they are text, else as hex. */
    static String describe(ConsumerRecord<byte[], byte[]> record) {
        return record.partition() + "@" + record.offset() + " key=" + bytes(record.key()) + " value=" + bytes(record.value());
    }

    private static String bytes(byte[] data) {
        if (data == null) {
            return "null";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
            if (text.chars().noneMatch(Character::isISOControl)) {
                return "\"" + abbreviate(text, 80) + "\"";
            }
        } catch (CharacterCodingException notText) {
            // Binary (e.g. Avro): shown as hex below.
        }
        return data.length + " bytes 0x" + abbreviate(HexFormat.of().formatHex(data), 64);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
