package io.sluice.cli.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads one job's events from the beginning of its topics, or from the time its id carries (less {@link #SEEK_MARGIN}):
 * only the partition its id hashes to, only records keyed by it, each event once (a service may publish an event again after a crash, with the same event id). Records come in
 * batches that reach the end of every partition as it was when the batch was read, merged in time order.
 */
final class JobStream {

    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * How much earlier than the time in the job's id its reading starts: the id is made by the submitting machine's
     * clock, and the records' timestamps come from the clocks of the machines that sent them (the CLI's for the
     * request, job-service's and the node's for the rest), which may be behind it. Fifteen minutes covers any clock
     * kept by NTP many times over, and reading fifteen minutes of one partition is still far less than all of it.
     */
    static final Duration SEEK_MARGIN = Duration.ofMinutes(15);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] key;
    private final Map<TopicPartition, Topic> partitions = new LinkedHashMap<>();
    private final Set<String> seenEventIds = new HashSet<>();
    private final Consumer<String> warnings;
    private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
    private boolean brokerSilent;
    private long recordsRead;
    private final KafkaConnection kafka;

    JobStream(KafkaConnection kafka, String jobId, List<Topic> topics, Consumer<String> warnings) {
        this(kafka, jobId, topics, warnings, null);
    }

    /**
     * @param idTime when the job's id was made ({@link JobIds#timeOf}), or null for an id that says nothing of it:
     *               then every partition is read from its beginning
     */
    JobStream(KafkaConnection kafka, String jobId, List<Topic> topics, Consumer<String> warnings, Instant idTime) {
        this.kafka = kafka;
        this.consumer = kafka.consumer();
        this.key = jobId.getBytes(StandardCharsets.UTF_8);
        this.warnings = warnings;
        for (Topic topic : topics) {
            int partition = KafkaConnection.partitionOf(jobId, kafka.partitionCount(topic));
            partitions.put(new TopicPartition(kafka.nameOf(topic), partition), topic);
        }
        consumer.assign(partitions.keySet());
        if (idTime == null) {
            consumer.seekToBeginning(partitions.keySet());
        } else {
            seekTo(idTime.minus(SEEK_MARGIN));
        }
    }

    /**
     * Starts each partition at its first record stamped at or after {@code from}, or at its end when it has none yet;
     * when the broker does not say in time, at the beginning (the reads that follow report a silent broker).
     */
    private void seekTo(Instant from) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.keySet().forEach(partition -> times.put(partition, Math.max(0, from.toEpochMilli())));
        Map<TopicPartition, OffsetAndTimestamp> offsets;
        try {
            offsets = consumer.offsetsForTimes(times, KafkaConnection.CLIENT_TIMEOUT);
        } catch (TimeoutException e) {
            consumer.seekToBeginning(partitions.keySet());
            return;
        } catch (AuthenticationException | AuthorizationException e) {
            throw kafka.failures().refusal(e, "read", null);
        }
        List<TopicPartition> withNothingSince = new ArrayList<>();
        offsets.forEach((partition, offset) -> {
            if (offset == null) {
                withNothingSince.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        });
        // seekToEnd of no partitions would move every assigned one.
        if (!withNothingSince.isEmpty()) {
            consumer.seekToEnd(withNothingSince);
        }
    }

    /** How many records this stream has fetched from the broker, the job's and the others on its partitions. */
    long recordsRead() {
        return recordsRead;
    }

    /** Everything there is now: the job's history on first call, what is new since on later ones. */
    List<JobRecord> catchUp() {
        try {
            return readToTheEnd();
        } catch (AuthenticationException | AuthorizationException e) {
            throw kafka.failures().refusal(e, "read", null);
        }
    }

    private List<JobRecord> readToTheEnd() {
        Map<TopicPartition, Long> ends;
        try {
            ends = consumer.endOffsets(partitions.keySet(), KafkaConnection.CLIENT_TIMEOUT);
            brokerSilent = false;
        } catch (TimeoutException e) {
            return brokerNotAnswering();
        }
        long lastProgress = System.nanoTime();
        while (behind(ends)) {
            int before = pending.size();
            consumer.poll(POLL).forEach(pending::add);
            if (pending.size() > before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > KafkaConnection.CLIENT_TIMEOUT.toNanos()) {
                return brokerNotAnswering();
            }
        }
        return takePending();
    }

    private boolean behind(Map<TopicPartition, Long> ends) {
        try {
            return partitions.keySet().stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition));
        } catch (TimeoutException e) {
            return true;
        }
    }

    /**
     * Waits up to {@code wait} for news; once some arrived, reads on to the end of every partition, so that what a
     * service wrote before an event it sent is in the same batch as the event.
     */
    List<JobRecord> next(Duration wait) {
        try {
            consumer.poll(wait).forEach(pending::add);
        } catch (AuthenticationException | AuthorizationException e) {
            throw kafka.failures().refusal(e, "read", null);
        }
        return pending.isEmpty() ? List.of() : catchUp();
    }

    /** Whether the last read found the broker silent (it then returned nothing, though there may be records). */
    boolean brokerSilent() {
        return brokerSilent;
    }

    /** A long job outlives a broker restart: say so once, keep what was read, and try again on the next call. */
    private List<JobRecord> brokerNotAnswering() {
        if (!brokerSilent) {
            warnings.accept("the broker does not answer; still trying");
            brokerSilent = true;
        }
        return List.of();
    }

    private List<JobRecord> takePending() {
        Map<TopicPartition, List<JobRecord>> byPartition = new HashMap<>();
        recordsRead += pending.size();
        for (ConsumerRecord<byte[], byte[]> record : pending) {
            if (record.value() == null || !Arrays.equals(record.key(), key)) {
                continue;
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Topic topic = partitions.get(partition);
            decode(topic, record).filter(decoded -> seenEventIds.add(decoded.metadata().getEventId().toString()))
                    .ifPresent(decoded -> byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(decoded));
        }
        pending.clear();
        return mergeByTime(new ArrayList<>(byPartition.values()));
    }

    private Optional<JobRecord> decode(Topic topic, ConsumerRecord<byte[], byte[]> record) {
        try {
            SpecificRecordBase envelope = EventCodec.<SpecificRecordBase>forTopic(topic).decode(record.value());
            return Optional.of(new JobRecord(topic, Envelopes.metadataOf(envelope),
                    Envelopes.payloadOf(envelope)));
        } catch (UndecodableEventException e) {
            warnings.accept("skipped record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ", which cannot be decoded (written by a newer Sluice?): " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps each partition's order (the order its producer meant) and interleaves partitions by time. */
    private static List<JobRecord> mergeByTime(List<List<JobRecord>> lists) {
        List<JobRecord> merged = new ArrayList<>();
        int[] next = new int[lists.size()];
        while (true) {
            int earliest = -1;
            for (int i = 0; i < lists.size(); i++) {
                if (next[i] < lists.get(i).size() && (earliest < 0 || lists.get(i).get(next[i]).orderedAt()
                        .isBefore(lists.get(earliest).get(next[earliest]).orderedAt()))) {
                    earliest = i;
                }
            }
            if (earliest < 0) {
                return merged;
            }
            merged.add(lists.get(earliest).get(next[earliest]++));
        }
    }

}
