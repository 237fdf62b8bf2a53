package io.sluice.schemas;

import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobStateEnvelope;
import io.sluice.events.logs.JobLogEnvelope;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.events.resource.ResourceDemandEnvelope;
import io.sluice.events.resource.ResourceEventEnvelope;
import io.sluice.events.resource.ResourceTypeEnvelope;
import io.sluice.events.worker.WorkerDemandEnvelope;
import io.sluice.events.worker.WorkerEventEnvelope;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/** The catalogue of Sluice's Kafka topics: name, key, partitions, retention and the Avro record every value is. */
public enum Topic {
    JOB_REQUESTS("sluice.job.requests", "job id", 6, Retention.days(7), JobRequestEnvelope.class),
    JOB_EVENTS("sluice.job.events", "job id", 6, Retention.days(7), JobEventEnvelope.class),
    JOB_STATE("sluice.job.state", "job id", 6, Retention.COMPACTED, JobStateEnvelope.class),
    JOB_LOGS("sluice.job.logs", "job id", 6, Retention.days(3), JobLogEnvelope.class),
    RESOURCE_DEMANDS("sluice.resource.demands", "resource type", 3, Retention.days(7), ResourceDemandEnvelope.class),
    RESOURCE_EVENTS("sluice.resource.events", "job id", 3, Retention.days(7), ResourceEventEnvelope.class),
    RESOURCE_TYPES("sluice.resource.types", "resource type", 3, Retention.COMPACTED, ResourceTypeEnvelope.class),
    WORKER_DEMANDS("sluice.worker.demands", "target", 3, Retention.days(7), WorkerDemandEnvelope.class),
    WORKER_EVENTS("sluice.worker.events", "job id", 3, Retention.days(7), WorkerEventEnvelope.class),
    NODE_COMMANDS("sluice.node.commands", "node id", 6, Retention.days(7), NodeCommandEnvelope.class),
    NODE_EVENTS("sluice.node.events", "node id", 3, Retention.days(7), NodeEventEnvelope.class),
    NODE_HEARTBEATS("sluice.node.heartbeats", "node id", 3, Retention.COMPACTED, NodeHeartbeatEnvelope.class),
    DEAD_LETTER("sluice.deadletter", "the original record's key", 3, Retention.days(30), DeadLetterEnvelope.class);

    private final String topicName;
    private final String keyDescription;
    private final int partitions;
    private final Retention retention;
    private final Class<? extends SpecificRecordBase> valueClass;

    Topic(String topicName, String keyDescription, int partitions, Retention retention,
          Class<? extends SpecificRecordBase> valueClass) {
        this.topicName = topicName;
        this.keyDescription = keyDescription;
        this.partitions = partitions;
        this.retention = retention;
        this.valueClass = valueClass;
    }

    /** The topic's name without any prefix, e.g. {@code sluice.job.events}; use {@link TopicNaming} to name it. */
    public String topicName() {
        return topicName;
    }

    /** What the record key is, e.g. "job id". */
    public String keyDescription() {
        return keyDescription;
    }

    public int partitions() {
        return partitions;
    }

    /** Kafka's {@code cleanup.policy}: "compact" for the latest-state topics, "delete" for the others. */
    public String cleanupPolicy() {
        return retention.compacted() ? "compact" : "delete";
    }

    public boolean compacted() {
        return retention.compacted();
    }

    /** Kafka's {@code retention.ms}; -1 (keep forever) for compacted topics. */
    public long retentionMs() {
        return retention.millis();
    }

    /** The generated envelope class every value of the topic is. */
    public Class<? extends SpecificRecordBase> valueClass() {
        return valueClass;
    }

    /** The current (writer) schema of the topic's values. */
    public Schema valueSchema() {
        return SpecificData.getForClass(valueClass).getSchema(valueClass);
    }

    /** The topic-level configs to create the topic with. */
    public Map<String, String> configs() {
        if (!retention.compacted()) {
            return Map.of("cleanup.policy", cleanupPolicy(), "retention.ms", Long.toString(retentionMs()));
        }
        // Compacted topics hold one latest record per key: clean often (small dirty ratio, hourly segments)
        // so a reader catching up reads little more than the live keys; tombstones stay a day so slow readers see them.
        return Map.of(
                "cleanup.policy", cleanupPolicy(),
                "retention.ms", Long.toString(retentionMs()),
                "min.cleanable.dirty.ratio", "0.1",
                "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
                "delete.retention.ms", Long.toString(Duration.ofDays(1).toMillis()));
    }

    /** The catalogue entry for an unprefixed topic name. */
    public static Optional<Topic> byName(String topicName) {
        return Arrays.stream(values()).filter(topic -> topic.topicName.equals(topicName)).findFirst();
    }

    /** The catalogue entry whose values are the given envelope class. */
    public static Optional<Topic> byValueClass(Class<?> valueClass) {
        return Arrays.stream(values()).filter(topic -> topic.valueClass.equals(valueClass)).findFirst();
    }

    private record Retention(boolean compacted, long millis) {
        static final Retention COMPACTED = new Retention(true, -1);

        static Retention days(int days) {
            return new Retention(false, Duration.ofDays(days).toMillis());
        }
    }
}
