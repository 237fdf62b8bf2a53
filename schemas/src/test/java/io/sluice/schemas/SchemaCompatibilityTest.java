package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fails the build when a topic's current schema is not backward and forward compatible with its latest released
 * version, cannot read any released version, or was never released: see README.md for how to change the contract.
 */
class SchemaCompatibilityTest {

    @ParameterizedTest
    @EnumSource(Topic.class)
    void every_topic_has_a_released_version(Topic topic) {
        assertThat(ReleasedSchemas.latest(topic))
                .as("no released schema of %s: run schemas/release-schemas (see schemas/README.md)", topic.topicName())
                .isPresent();
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void the_current_schema_reads_what_the_latest_release_wrote(Topic topic) {
        ReleasedSchemas.latest(topic).ifPresent(latest ->
                assertCompatible(topic.valueSchema(), latest.schema(),
                        "current schema of " + topic.topicName() + " cannot read data written with " + latest.version()));
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void the_latest_release_reads_what_the_current_schema_writes(Topic topic) {
        ReleasedSchemas.latest(topic).ifPresent(latest ->
                assertCompatible(latest.schema(), topic.valueSchema(),
                        latest.version() + " of " + topic.topicName() + " cannot read data written with the current schema"
                                + " (consumers still running the last release would dead-letter it)"));
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void the_current_schema_reads_every_released_version(Topic topic) {
        for (ReleasedSchemas.Release release : ReleasedSchemas.of(topic)) {
            assertCompatible(topic.valueSchema(), release.schema(),
                    "current schema of " + topic.topicName() + " cannot read data written with " + release.version());
        }
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void released_versions_are_listed_in_order(Topic topic) {
        assertThat(ReleasedSchemas.versions()).isNotEmpty();
        assertThat(ReleasedSchemas.versions()).containsExactlyElementsOf(
                Stream.iterate(1, n -> n + 1).limit(ReleasedSchemas.versions().size()).map(n -> "v" + n).toList());
        assertThat(ReleasedSchemas.of(topic)).allSatisfy(release ->
                assertThat(release.schema().getFullName()).isEqualTo(topic.valueSchema().getFullName()));
    }

    private static void assertCompatible(Schema reader, Schema writer, String description) {
        assertThat(Compatibility.problems(reader, writer)).as(description).isEmpty();
    }
}
