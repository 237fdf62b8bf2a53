package io.sluice.bus.supervise;

import io.sluice.schemas.TopicNaming;
import java.time.Duration;

/**
 * Where a service's plumbing connects and what it is called: the broker, the topic prefix, the database schema
 * (null for a service without a database) and how often it retries an unreachable dependency.
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
        Duration retryInterval) {

    /** The producer name stamped on the events this instance emits. */
    public String producer() {
        return serviceName + "/" + instanceId;
    }

    public boolean hasDatabase() {
        return databaseSchema != null;
    }
}
