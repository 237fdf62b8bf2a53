package io.sluice.cli.inspect;

import io.sluice.cli.CliFailure;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads chosen partitions of Sluice's topics from chosen offsets, with the cli's consumer (assigned partitions,
 * read-committed, no consumer group): up to the end offsets taken when the scan starts, or, following, for ever;
 * a partition is done early at the first record after {@code until}.
 */
final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long after --until a followed scan still waits for records stamped before it. */
    private static final Duration UNTIL_GRACE = Duration.ofSeconds(1);

    private final KafkaConnection kafka;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Topic> partitions = new LinkedHashMap<>();

    TopicScan(KafkaConnection kafka) {
        this.kafka = kafka;
        this.consumer = kafka.consumer();
    }

    /** Adds every partition of a topic, or only {@code partition} when it is not null. */
    void addTopic(Topic topic, Integer partition) {
        int count = kafka.partitionCount(topic);
        if (partition != null && partition >= count) {
            throw new CliFailure("topic " + kafka.nameOf(topic) + " has partitions 0 to " + (count - 1) + ", not "
                    + partition, null, JobExitCodes.REJECTED_OR_USAGE);
        }
        for (int p = 0; p < count; p++) {
            if (partition == null || partition == p) {
                partitions.put(new TopicPartition(kafka.nameOf(topic), p), topic);
            }
        }
    }

    /**
     * Adds each topic (every partition, or only {@code partition}) that this login may read, telling
     * {@code leftOut} of each the broker refused; fails when it refused them all, or on any other failure.
     */
    List<Topic> addReadable(List<Topic> topics, Integer partition, boolean byKey, String key,
                            Consumer<String> leftOut) {
        List<Topic> added = new ArrayList<>();
        CliFailure firstRefusal = null;
        for (Topic topic : topics) {
            try {
                if (byKey) {
                    addPartitionOfKey(topic, key);
                } else {
                    addTopic(topic, partition);
                }
                added.add(topic);
            } catch (CliFailure e) {
                if (e.exitCode() != JobExitCodes.REFUSED) {
                    throw e;
                }
                firstRefusal = firstRefusal == null ? e : firstRefusal;
                leftOut.accept(kafka.nameOf(topic) + " left out: " + e.getMessage());
            }
        }
        if (added.isEmpty() && firstRefusal != null) {
            throw firstRefusal;
        }
        return added;
    }

    /** Adds the one partition of a topic that a key hashes to (the default partitioner every Sluice producer uses). */
    void addPartitionOfKey(Topic topic, String key) {
        partitions.put(new TopicPartition(kafka.nameOf(topic),
                KafkaConnection.partitionOf(key, kafka.partitionCount(topic))), topic);
    }

    Topic topicOf(ConsumerRecord<?, ?> record) {
        return partitions.get(new TopicPartition(record.topic(), record.partition()));
    }

    Set<TopicPartition> partitions() {
        return partitions.keySet();
    }

    /** Where a scan starts in every partition. */
    sealed interface Start {
        /** The first offset the broker still has. */
        record Beginning() implements Start { }

        /** The end: only what is written after the scan starts. */
        record End() implements Start { }

        /** The first record at or after a time (offsetsForTimes); the end where there is none. */
        record Since(Instant time) implements Start { }

        /** One offset in every partition, kept within what the partition holds. */
        record Offset(long offset) implements Start { }
    }

    /**
     * Reads the partitions from {@code start} and hands every record to {@code sink}; stops at the end offsets taken
     * now unless {@code follow}, at the first record after {@code until} in each partition when it is not null, and
     * after {@code max} records handed when it is positive.
     */
    void read(Start start, boolean follow, Instant until, long max, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try {
            consumer.assign(partitions.keySet());
            seek(start);
            boolean bounded = !follow;
            Map<TopicPartition, Long> ends = bounded ? endOffsets(partitions.keySet()) : Map.of();
            Set<TopicPartition> open = new HashSet<>(partitions.keySet());
            if (bounded) {
                Map<TopicPartition, Long> end = ends;
                open.removeIf(partition -> consumer.position(partition, KafkaConnection.CLIENT_TIMEOUT)
                        >= end.get(partition));
            }
            long handed = 0;
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                if (!bounded && until != null && Instant.now().isAfter(until.plus(UNTIL_GRACE))) {
                    // Following past --until: a partition with no newer record would keep the command waiting;
                    // what is there now is all that can still be before it.
                    bounded = true;
                    ends = endOffsets(partitions.keySet());
                }
                consumer.resume(open);
                consumer.pause(difference(partitions.keySet(), open));
                var batch = consumer.poll(POLL);
                if (!batch.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!open.contains(partition)) {
                        continue;
                    }
                    if (until != null && record.timestamp() > until.toEpochMilli()) {
                        open.remove(partition);
                        continue;
                    }
                    if (bounded && record.offset() >= ends.get(partition)) {
                        open.remove(partition);
                        continue;
                    }
                    sink.accept(record);
                    if (max > 0 && ++handed >= max) {
                        return;
                    }
                }
                if (bounded) {
                    // A partition whose end is a transaction marker or an aborted record has no record at its end.
                    Map<TopicPartition, Long> end = ends;
                    open.removeIf(partition -> consumer.position(partition, KafkaConnection.CLIENT_TIMEOUT)
                            >= end.get(partition));
                    if (!open.isEmpty() && batch.isEmpty()
                            && System.nanoTime() - lastProgress > KafkaConnection.CLIENT_TIMEOUT.toNanos() * 3) {
                        throw kafka.failures().unreachable();
                    }
                }
            }
        } catch (AuthenticationException | AuthorizationException e) {
            throw kafka.failures().refusal(e, "read", null);
        } catch (TimeoutException e) {
            throw kafka.failures().unreachable();
        } catch (KafkaException e) {
            throw kafka.failures().of("could not read", e, "read", null);
        }
    }

    private void seek(Start start) {
        switch (start) {
            case Start.Beginning beginning -> consumer.seekToBeginning(partitions.keySet());
            case Start.End end -> consumer.seekToEnd(partitions.keySet());
            case Start.Since since -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.keySet().forEach(partition -> query.put(partition, since.time().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query,
                        KafkaConnection.CLIENT_TIMEOUT);
                Map<TopicPartition, Long> ends = endOffsets(partitions.keySet());
                found.forEach((partition, offset) -> consumer.seek(partition,
                        offset == null ? ends.get(partition) : offset.offset()));
            }
            case Start.Offset offset -> {
                Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions.keySet(),
                        KafkaConnection.CLIENT_TIMEOUT);
                Map<TopicPartition, Long> ends = endOffsets(partitions.keySet());
                partitions.keySet().forEach(partition -> consumer.seek(partition, Math.max(beginnings.get(partition),
                        Math.min(ends.get(partition), offset.offset()))));
            }
        }
    }

    /** The end offsets now: with read_committed, the last stable offsets. */
    private Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> of) {
        return consumer.endOffsets(of, KafkaConnection.CLIENT_TIMEOUT);
    }

    private static Set<TopicPartition> difference(Set<TopicPartition> all, Set<TopicPartition> open) {
        Set<TopicPartition> closed = new HashSet<>(all);
        closed.removeAll(open);
        return closed;
    }
}
