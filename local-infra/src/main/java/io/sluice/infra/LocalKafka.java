package io.sluice.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real single-node Kafka broker (KRaft, broker and controller in one node) running inside this JVM. */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Path dataDirectory;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafka(KafkaClusterTestKit cluster, Path dataDirectory, boolean stopOnJvmExit) {
        this.cluster = cluster;
        this.dataDirectory = dataDirectory;
        int port = cluster.brokers().values().iterator().next()
                .boundPort(ListenerName.normalised(SingleNodeKraftCluster.CLIENT_LISTENER));
        this.bootstrapServers = "localhost:" + port;
        this.shutdownHook = stopOnJvmExit ? new Thread(this::close, "local-kafka-stop") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts a broker on a free port in a fresh temporary directory that {@link #close()} deletes. */
    public static LocalKafka startTemporary() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where clients connect, {@code localhost:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding the broker's metadata and topic logs. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the broker; deletes its data only if it lives in a temporary directory. Safe to call twice. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        removeShutdownHook();
        try {
            cluster.close();
            log.info("Kafka broker at {} stopped", bootstrapServers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not stop cleanly", e);
        }
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyExiting) {
            // The hook is running or about to: nothing to remove.
        }
    }

    /** Options for a {@link LocalKafka}: a directory you give is kept; without one a temporary directory is used and deleted. */
    public static final class Builder {

        private Path dataDirectory;
        private int port;
        private boolean stopOnJvmExit;

        private Builder() {
        }

        /** Keeps the broker's data in this directory across restarts (created if missing). */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Listens for clients on this port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Stops the broker when the JVM exits, if it is still running. */
        public Builder stopOnJvmExit() {
            this.stopOnJvmExit = true;
            return this;
        }

        /** Starts the broker and returns once it accepts clients. */
        public LocalKafka start() {
            long startedAt = System.nanoTime();
            boolean temporary = dataDirectory == null;
            Path directory = temporary ? createTempDirectory() : dataDirectory.toAbsolutePath();
            KafkaClusterTestKit cluster = SingleNodeKraftCluster.startCluster(directory, port, temporary);
            LocalKafka kafka = new LocalKafka(cluster, directory, stopOnJvmExit);
            log.info("Kafka broker ready at {} in {} ms (data in {}{})", kafka.bootstrapServers,
                    Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), directory,
                    temporary ? ", deleted on close" : "");
            return kafka;
        }

        private static Path createTempDirectory() {
            try {
                return Files.createTempDirectory("sluice-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
