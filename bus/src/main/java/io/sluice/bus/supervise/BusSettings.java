package io.sluice.bus.supervise;

import io.sluice.schemas.TopicNaming;
import java.time.Duration;
import java.util.Map;

/**
 * Where a service's plumbing connects and what it is called: the broker and the client properties its Kafka clients
 * get (security among them), whether it creates the topics itself, the topic prefix, the database schema (null for a
 * service without a database) and how often it retries an unreachable dependency.
 */
public record BusSettings(
        String serviceName,
        String instanceId,
        String bootstrapServers,
        short replicationFactor,
        TopicNaming naming,
        String databaseSchema,
        String databaseDescription,
        String serviceMigrations,
        Duration retryInterval,
        Map<String, String> kafkaProperties,
        boolean createsTopics) {

    public BusSettings {
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    /** Plain settings: no extra client properties, and the service creates the topics it finds missing. */
    public BusSettings(String serviceName, String instanceId, String bootstrapServers, short replicationFactor,
                       TopicNaming naming, String databaseSchema, String databaseDescription,
                       String serviceMigrations, Duration retryInterval) {
        this(serviceName, instanceId, bootstrapServers, replicationFactor, naming, databaseSchema,
                databaseDescription, serviceMigrations, retryInterval, Map.of(), true);
    }

    /** The client properties' names only: their values may be secrets (a JAAS configuration, a key password). */
    @Override
    public String toString() {
        return "BusSettings[serviceName=" + serviceName + ", instanceId=" + instanceId + ", bootstrapServers="
                + bootstrapServers + ", naming=" + naming + ", databaseSchema=" + databaseSchema
                + ", kafkaProperties=" + new java.util.TreeSet<>(kafkaProperties.keySet()) + ", createsTopics="
                + createsTopics + "]";
    }

    /** The producer name stamped on the events this instance emits. */
    public String producer() {
        return serviceName + "/" + instanceId;
    }

    public boolean hasDatabase() {
        return databaseSchema != null;
    }
}
