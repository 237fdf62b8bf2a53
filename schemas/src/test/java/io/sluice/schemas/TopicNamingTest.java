package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamingTest {

    @Test
    void without_a_prefix_topics_have_their_catalogue_names() {
        assertThat(TopicNaming.DEFAULT.nameOf(Topic.JOB_EVENTS)).isEqualTo("sluice.job.events");
        assertThat(new TopicNaming().nameOf(Topic.DEAD_LETTER)).isEqualTo("sluice.deadletter");
    }

    @Test
    void a_prefix_goes_in_front_of_every_name_and_is_recognised_back() {
        TopicNaming naming = new TopicNaming("t-3f2a.");

        assertThat(naming.nameOf(Topic.NODE_COMMANDS)).isEqualTo("t-3f2a.sluice.node.commands");
        assertThat(naming.topicOf("t-3f2a.sluice.node.commands")).contains(Topic.NODE_COMMANDS);
        assertThat(naming.topicOf("sluice.node.commands")).isEmpty();
        assertThat(naming.topicOf("t-3f2a.other")).isEmpty();
    }

    @Test
    void a_prefix_kafka_would_refuse_is_refused_at_once() {
        assertThatThrownBy(() -> new TopicNaming("has space."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has space.'");
        assertThatThrownBy(() -> new TopicNaming("x".repeat(240)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 249");
        assertThatThrownBy(() -> new TopicNaming(null)).isInstanceOf(NullPointerException.class);
    }
}
