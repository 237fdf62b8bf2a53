package io.sluice.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

/** Starts the shared broker and database as Testcontainers, with the same single-node settings as LocalKafka. */
final class ContainerServers {

    static final String KAFKA_IMAGE_VARIABLE = "SLUICE_TEST_KAFKA_IMAGE";
    static final String POSTGRES_IMAGE_VARIABLE = "SLUICE_TEST_POSTGRES_IMAGE";

    private static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    private static final String POSTGRES_IMAGE = "postgres:17";

    private ContainerServers() {
    }

    static SharedServers start() {
        String kafkaImage = System.getenv().getOrDefault(KAFKA_IMAGE_VARIABLE, KAFKA_IMAGE);
        String postgresImage = System.getenv().getOrDefault(POSTGRES_IMAGE_VARIABLE, POSTGRES_IMAGE);
        KafkaContainer kafka = new KafkaContainer(kafkaImage)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(postgresImage);
        CompletableFuture<Void> startingPostgres = CompletableFuture.runAsync(postgres::start);
        try {
            kafka.start();
            startingPostgres.join();
        } catch (RuntimeException e) {
            startingPostgres.whenComplete((ignored, failure) -> postgres.stop());
            kafka.stop();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new SharedServers(kafka.getBootstrapServers(),
                new PostgresServer(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword()),
                "Docker is reachable: Testcontainers " + kafkaImage + " and " + postgresImage,
                () -> {
                    try {
                        kafka.stop();
                    } finally {
                        postgres.stop();
                    }
                });
    }
}
