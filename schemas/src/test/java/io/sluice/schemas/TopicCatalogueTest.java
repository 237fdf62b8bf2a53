package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobEventEnvelope;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopicCatalogueTest {

    @Test
    void the_catalogue_has_the_topics_of_the_design() {
        assertThat(Arrays.stream(Topic.values()).map(Topic::topicName)).containsExactly(
                "sluice.job.requests", "sluice.job.events", "sluice.job.state", "sluice.job.logs",
                "sluice.resource.demands", "sluice.resource.events", "sluice.resource.types",
                "sluice.worker.demands", "sluice.worker.events",
                "sluice.node.commands", "sluice.node.events", "sluice.node.heartbeats", "sluice.deadletter");
    }

    @Test
    void only_the_latest_state_topics_are_compacted() {
        assertThat(Arrays.stream(Topic.values()).filter(Topic::compacted))
                .containsExactlyInAnyOrder(Topic.JOB_STATE, Topic.RESOURCE_TYPES, Topic.NODE_HEARTBEATS);
        assertThat(Topic.JOB_STATE.cleanupPolicy()).isEqualTo("compact");
        assertThat(Topic.JOB_STATE.configs()).containsEntry("cleanup.policy", "compact")
                .containsEntry("min.cleanable.dirty.ratio", "0.1").containsKey("segment.ms");
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void each_topic_says_its_key_partitions_and_retention(Topic topic) {
        assertThat(topic.keyDescription()).isNotBlank();
        assertThat(topic.partitions()).isBetween(3, 6);
        if (topic.compacted()) {
            assertThat(topic.retentionMs()).isEqualTo(-1);
        } else {
            assertThat(topic.cleanupPolicy()).isEqualTo("delete");
            assertThat(topic.retentionMs()).isGreaterThanOrEqualTo(3 * 24 * 3_600_000L);
        }
        assertThat(topic.configs()).containsEntry("cleanup.policy", topic.cleanupPolicy())
                .containsEntry("retention.ms", Long.toString(topic.retentionMs()));
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void each_value_is_an_envelope_of_metadata_and_a_union_of_event_records(Topic topic) {
        Schema schema = topic.valueSchema();

        assertThat(schema.getName()).endsWith("Envelope");
        assertThat(schema.getFields()).extracting(Schema.Field::name).containsExactly("metadata", "payload");
        assertThat(schema.getField("metadata").schema()).isEqualTo(EventMetadata.getClassSchema());
        Schema payload = schema.getField("payload").schema();
        assertThat(payload.getType()).isEqualTo(Schema.Type.UNION);
        assertThat(payload.getTypes()).isNotEmpty().allSatisfy(type -> {
            assertThat(type.getType()).isEqualTo(Schema.Type.RECORD);
            assertThat(type.getNamespace()).isEqualTo(schema.getNamespace());
        });
    }

    @Test
    void a_topic_is_found_by_its_name_and_by_its_value_class() {
        assertThat(Topic.byName("sluice.job.events")).contains(Topic.JOB_EVENTS);
        assertThat(Topic.byName("sluice.nope")).isEmpty();
        assertThat(Topic.byValueClass(JobEventEnvelope.class)).contains(Topic.JOB_EVENTS);
        assertThat(Topic.byValueClass(EventMetadata.class)).isEmpty();
    }
}
