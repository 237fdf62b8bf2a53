package io.sluice.cli.replay;

import io.sluice.cli.CliFailure;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.jobs.domain.JobSagaInputs;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * What the topics recorded of one job from job-service's side: its inputs (the job's requests, and the wells', the
 * factory's and the nodes' events that job-service's saga consumes) and its outputs (its job events, and the demands
 * and commands job-service sent for it), each event once, read from the beginning to the end each partition had
 * when the reading began. The topics keyed by job id are read in the job's partition from the beginning; the others
 * (keyed by resource type, target or node, every partition) from {@link #SLACK} before the job's first record there,
 * found by the records' timestamps.
 */
final class JobRecording {

    /** The topics job-service's saga reads, and those it writes for a job (sluice.job.state, a projection, aside). */
    static final List<Topic> INPUT_TOPICS = List.of(Topic.JOB_REQUESTS, Topic.RESOURCE_EVENTS, Topic.WORKER_EVENTS,
            Topic.NODE_EVENTS);
    static final List<Topic> OUTPUT_TOPICS = List.of(Topic.JOB_EVENTS, Topic.RESOURCE_DEMANDS, Topic.WORKER_DEMANDS,
            Topic.NODE_COMMANDS);
    private static final List<Topic> KEYED_BY_JOB = List.of(Topic.JOB_REQUESTS, Topic.JOB_EVENTS,
            Topic.RESOURCE_EVENTS, Topic.WORKER_EVENTS);
    private static final List<Topic> KEYED_OTHERWISE = List.of(Topic.NODE_EVENTS, Topic.RESOURCE_DEMANDS,
            Topic.WORKER_DEMANDS, Topic.NODE_COMMANDS);
    private static final String JOB_SERVICE = "job-service/";
    private static final Duration POLL = Duration.ofMillis(200);
    /** How much earlier than the job's first record another topic is read from: clocks of hosts differ. */
    static final Duration SLACK = Duration.ofMinutes(10);

    final List<RecordedEvent> inputs = new ArrayList<>();
    final List<RecordedEvent> outputs = new ArrayList<>();
    /** Records of the job's partitions that could not be decoded, as {@code place: reason}. */
    final List<String> undecodable = new ArrayList<>();

    private JobRecording() {
    }

    boolean isEmpty() {
        return inputs.isEmpty() && outputs.isEmpty();
    }

    static JobRecording read(KafkaConnection kafka, String jobId) {
        JobRecording recording = new JobRecording();
        Set<String> seen = new HashSet<>();
        Map<Topic, List<RecordedEvent>> read = new EnumMap<>(Topic.class);
        for (Topic topic : KEYED_BY_JOB) {
            read.put(topic, readTopic(kafka, topic, jobId, recording.undecodable, null));
        }
        Long since = read.values().stream().flatMap(List::stream).mapToLong(RecordedEvent::timestamp).boxed()
                .min(Long::compare).map(first -> first - SLACK.toMillis()).orElse(null);
        for (Topic topic : KEYED_OTHERWISE) {
            read.put(topic, readTopic(kafka, topic, jobId, recording.undecodable, since));
        }
        for (Topic topic : INPUT_TOPICS) {
            for (RecordedEvent event : read.get(topic)) {
                boolean input = topic == Topic.JOB_REQUESTS || JobSagaInputs.isInput(event.payload());
                if (input && seen.add(event.eventId())) {
                    recording.inputs.add(event);
                }
            }
        }
        for (Topic topic : OUTPUT_TOPICS) {
            for (RecordedEvent event : read.get(topic)) {
                boolean fromJobService = event.metadata().getProducer().startsWith(JOB_SERVICE);
                if (fromJobService && seen.add(event.eventId())) {
                    recording.outputs.add(event);
                }
            }
        }
        return recording;
    }

    /**
     * The job's events on {@code topic}: on a topic keyed by job id, its records in the partition the id hashes to;
     * on another (keyed by resource type, target or node), those of every partition whose correlation id is the job.
     */
    private static List<RecordedEvent> readTopic(KafkaConnection kafka, Topic topic, String jobId,
                                                 List<String> undecodable, Long sinceMillis) {
        String name = kafka.nameOf(topic);
        int count = kafka.partitionCount(topic);
        boolean keyedByJob = topic.keyDescription().equals("job id");
        List<TopicPartition> partitions = new ArrayList<>();
        if (keyedByJob) {
            partitions.add(new TopicPartition(name, KafkaConnection.partitionOf(jobId, count)));
        } else {
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(name, p));
            }
        }
        KafkaConsumer<byte[], byte[]> consumer = kafka.consumer();
        List<RecordedEvent> events = new ArrayList<>();
        try {
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KafkaConnection.CLIENT_TIMEOUT);
            if (sinceMillis == null) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(partition -> times.put(partition, sinceMillis));
                consumer.offsetsForTimes(times, KafkaConnection.CLIENT_TIMEOUT).forEach((partition, found) ->
                        consumer.seek(partition, found == null ? ends.get(partition) : found.offset()));
            }
            long lastProgress = System.nanoTime();
            while (behind(consumer, partitions, ends)) {
                var records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > KafkaConnection.CLIENT_TIMEOUT.toNanos()) {
                    throw kafka.failures().unreachable();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null || (keyedByJob && !jobId.equals(key))) {
                        continue;
                    }
                    decode(topic, record, key, undecodable, keyedByJob)
                            .filter(event -> event.metadata().getCorrelationId().equals(jobId))
                            .ifPresent(events::add);
                }
            }
        } catch (TimeoutException e) {
            throw kafka.failures().unreachable();
        } catch (KafkaException e) {
            throw kafka.failures().of("could not read " + name, e, "read", name);
        } finally {
            consumer.unsubscribe();
        }
        return events;
    }

    private static boolean behind(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                  Map<TopicPartition, Long> ends) {
        return partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition));
    }

    private static Optional<RecordedEvent> decode(Topic topic, ConsumerRecord<byte[], byte[]> record,
                                                            String key, List<String> undecodable,
                                                            boolean keyedByJob) {
        try {
            SpecificRecordBase envelope = EventCodec.<SpecificRecordBase>forTopic(topic).decode(record.value());
            return Optional.of(new RecordedEvent(topic, record.topic(), record.partition(), record.offset(),
                    record.timestamp(), key, Envelopes.metadataOf(envelope), (SpecificRecord) Envelopes.payloadOf(envelope)));
        } catch (UndecodableEventException e) {
            // On a partition of other jobs' records too, a record that cannot be decoded may not be this job's.
            undecodable.add(record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + e.getMessage()
                    + (keyedByJob ? "" : " (perhaps another job's)"));
            return Optional.empty();
        }
    }

    /** Fails, exit 3, saying where the command looked, when the topics hold nothing of the job. */
    static CliFailure noRecords(KafkaConnection kafka, String jobId) {
        return new CliFailure("no record of job '" + jobId + "' on " + kafka.nameOf(Topic.JOB_REQUESTS) + ", "
                + kafka.nameOf(Topic.JOB_EVENTS) + " or the other topics of job-service (is the id right, the topic "
                + "prefix ('" + kafka.naming().prefix() + "'), or have the records passed their retention?)", null,
                JobExitCodes.NO_ANSWER);
    }
}
