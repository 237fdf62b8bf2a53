package io.sluice.bus.micronaut;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.sluice.bus.kafka.KafkaClientProperties;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Map;

/** The `sluice.*` settings every service shares: its name, the broker, the topic prefix, how often it retries. */
@ConfigurationProperties("sluice")
public class SluiceConfiguration {

    @NotBlank
    private String serviceName;
    @Nullable
    private String instanceId;
    private String topicPrefix = "";
    private Duration retryInterval = Duration.ofSeconds(5);
    private KafkaConfiguration kafka = new KafkaConfiguration();
    private RetentionConfiguration retention = new RetentionConfiguration();

    public String getServiceName() { return serviceName; }
    public void setServiceName(String serviceName) { this.serviceName = serviceName; }
    @Nullable public String getInstanceId() { return instanceId; }
    public void setInstanceId(@Nullable String instanceId) { this.instanceId = instanceId; }
    public String getTopicPrefix() { return topicPrefix; }
    public void setTopicPrefix(String topicPrefix) { this.topicPrefix = topicPrefix; }
    public Duration getRetryInterval() { return retryInterval; }
    public void setRetryInterval(Duration retryInterval) { this.retryInterval = retryInterval; }
    public KafkaConfiguration getKafka() { return kafka; }
    public void setKafka(KafkaConfiguration kafka) { this.kafka = kafka; }
    public RetentionConfiguration getRetention() { return retention; }
    public void setRetention(RetentionConfiguration retention) { this.retention = retention; }

    /** `sluice.retention.*`: how long the plumbing keeps handled-event records and published outbox rows. */
    @ConfigurationProperties("retention")
    public static class RetentionConfiguration {
        private Duration processedEvents = Duration.ofDays(14);
        private Duration publishedOutbox = Duration.ofDays(1);
        private Duration pruneInterval = Duration.ofHours(1);

        public Duration getProcessedEvents() { return processedEvents; }
        public void setProcessedEvents(Duration processedEvents) { this.processedEvents = processedEvents; }
        public Duration getPublishedOutbox() { return publishedOutbox; }
        public void setPublishedOutbox(Duration publishedOutbox) { this.publishedOutbox = publishedOutbox; }
        public Duration getPruneInterval() { return pruneInterval; }
        public void setPruneInterval(Duration pruneInterval) { this.pruneInterval = pruneInterval; }
    }

    /**
     * `sluice.kafka.*`: where the broker is, how many replicas the service's topics get, whether the service creates
     * them, and `sluice.kafka.properties.*`, any Kafka client property for every client the service creates.
     */
    @ConfigurationProperties("kafka")
    public static class KafkaConfiguration {
        private String bootstrapServers = "localhost:9092";
        private short replicationFactor = 1;
        private boolean createTopics = true;
        private Map<String, String> properties = Map.of();

        public String getBootstrapServers() { return bootstrapServers; }
        public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
        public short getReplicationFactor() { return replicationFactor; }
        public void setReplicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; }
        public boolean isCreateTopics() { return createTopics; }
        public void setCreateTopics(boolean createTopics) { this.createTopics = createTopics; }

        /** Kafka's property names (`security.protocol`), as the environment's `SLUICE_KAFKA_PROPERTIES_*` give them. */
        public Map<String, String> getProperties() { return properties; }

        public void setProperties(@MapFormat(transformation = MapFormat.MapTransformation.FLAT)
                                  Map<String, String> properties) {
            this.properties = KafkaClientProperties.fromConfiguration(properties);
        }
    }
}
