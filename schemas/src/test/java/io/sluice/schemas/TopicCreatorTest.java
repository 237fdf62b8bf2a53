package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creates the catalogue on a real in-process KRaft broker. */
class TopicCreatorTest {

    private static KafkaClusterTestKit cluster;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build()).build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = cluster.admin();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void creates_every_topic_with_its_partitions_and_configs_and_leaves_existing_ones_alone() throws Exception {
        TopicNaming naming = new TopicNaming("creator-all.");
        TopicCreator creator = new TopicCreator(admin, naming, (short) 1, Duration.ofSeconds(30));

        assertThat(creator.createAll()).containsExactlyInAnyOrder(Topic.values());
        assertThat(creator.createAll()).as("second run: everything exists already").isEmpty();

        Map<String, TopicDescription> described = admin.describeTopics(
                EnumSet.allOf(Topic.class).stream().map(naming::nameOf).toList()).allTopicNames().get();
        for (Topic topic : Topic.values()) {
            assertThat(described.get(naming.nameOf(topic)).partitions()).as(topic.topicName()).hasSize(topic.partitions());
        }
        ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, naming.nameOf(Topic.JOB_STATE));
        ConfigResource logs = new ConfigResource(ConfigResource.Type.TOPIC, naming.nameOf(Topic.JOB_LOGS));
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(state, logs)).all().get();
        assertThat(configs.get(state).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(configs.get(state).get("min.cleanable.dirty.ratio").value()).isEqualTo("0.1");
        assertThat(configs.get(logs).get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(configs.get(logs).get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
    }

    @Test
    void creates_only_the_topics_asked_for() throws Exception {
        TopicNaming naming = new TopicNaming("creator-some.");

        assertThat(new TopicCreator(admin, naming).create(List.of(Topic.NODE_COMMANDS, Topic.NODE_EVENTS)))
                .containsExactlyInAnyOrder(Topic.NODE_COMMANDS, Topic.NODE_EVENTS);

        assertThat(admin.listTopics().names().get()).filteredOn(name -> name.startsWith("creator-some."))
                .containsExactlyInAnyOrder("creator-some.sluice.node.commands", "creator-some.sluice.node.events");
    }

    @Test
    void a_topic_the_broker_refuses_is_named_in_the_error() {
        // One broker cannot hold three replicas.
        TopicCreator creator = new TopicCreator(admin, new TopicNaming("creator-refused."), (short) 3, Duration.ofSeconds(30));

        assertThatThrownBy(() -> creator.create(List.of(Topic.JOB_EVENTS)))
                .isInstanceOf(TopicCreationException.class)
                .hasMessageContaining("creator-refused.sluice.job.events")
                .hasMessageContaining("InvalidReplicationFactorException");
    }
}
