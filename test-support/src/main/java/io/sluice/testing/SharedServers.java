package io.sluice.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.sluice.infra.LocalKafka;
import io.sluice.infra.LocalPostgres;

/** A running broker and database server, how they were chosen, and how to stop them. */
record SharedServers(String bootstrapServers, PostgresServer postgres, String description, Runnable stop) {

    static SharedServers start(InfraChoice choice) {
        return switch (choice) {
            case InfraChoice.ExternalServers external -> new SharedServers(external.bootstrapServers(),
                    new PostgresServer(external.jdbcUrl(), external.username(), external.password()),
                    "external servers from " + InfraChoice.KAFKA_BOOTSTRAP + " and " + InfraChoice.JDBC_URL,
                    () -> { });
            case InfraChoice.Containers containers -> ContainerServers.start();
            case InfraChoice.LocalServers local -> startLocal();
        };
    }

    /** Starts both servers at once: together they take as long as the slower one. */
    private static SharedServers startLocal() {
        CompletableFuture<LocalPostgres> startingPostgres = CompletableFuture.supplyAsync(LocalPostgres::startTemporary);
        LocalKafka kafka;
        try {
            kafka = LocalKafka.startTemporary();
        } catch (RuntimeException e) {
            startingPostgres.thenAccept(LocalPostgres::close);
            throw e;
        }
        LocalPostgres postgres;
        try {
            postgres = startingPostgres.join();
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new SharedServers(kafka.bootstrapServers(),
                new PostgresServer(postgres.jdbcUrl("postgres"), postgres.username(), postgres.password()),
                "no Docker engine: in-process Kafka broker and embedded PostgreSQL",
                () -> {
                    try {
                        kafka.close();
                    } finally {
                        postgres.close();
                    }
                });
    }
}
