package io.sluice.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running inside this JVM: plain, or
 * secured (SASL SCRAM-SHA-512 for clients, ACLs enforced, nothing allowed without one, an admin super user who adds
 * the users and their ACLs).
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
    /** Kafka's minimum for SCRAM-SHA-512 is 4096. */
    private static final int SCRAM_ITERATIONS = 8192;

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final String adminPassword;
    private final String adminBootstrapServers;
    private final Path dataDirectory;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafka(KafkaClusterTestKit cluster, Path dataDirectory, boolean stopOnJvmExit, String adminPassword) {
        this.cluster = cluster;
        this.dataDirectory = dataDirectory;
        this.adminPassword = adminPassword;
        var broker = cluster.brokers().values().iterator().next();
        this.bootstrapServers = "localhost:" + broker.boundPort(
                ListenerName.normalised(SingleNodeKraftCluster.CLIENT_LISTENER));
        this.adminBootstrapServers = adminPassword == null ? bootstrapServers : "localhost:" + broker.boundPort(
                ListenerName.normalised(SingleNodeKraftCluster.INTERNAL_LISTENER));
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

    /** Whether clients must log in (SCRAM) and be allowed by ACLs. */
    public boolean secured() {
        return adminPassword != null;
    }

    /**
     * What an admin client needs to connect as the super user (secured) or at all (plain): where, and how to log in.
     * Holds the admin's password: hand it to clients, never to a log.
     */
    public Map<String, Object> adminClientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adminBootstrapServers);
        if (secured()) {
            properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            properties.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            properties.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule "
                    + "required username=\"" + SingleNodeKraftCluster.ADMIN + "\" password=\""
                    + SingleNodeKraftCluster.jaasQuoted(adminPassword) + "\";");
        }
        return properties;
    }

    /** A new admin client acting as the super user; the caller closes it. */
    public Admin admin() {
        return Admin.create(adminClientProperties());
    }

    /**
     * The client properties of a user of a secured broker (SASL_PLAINTEXT, SCRAM-SHA-512, its JAAS login), without
     * the bootstrap servers: what a client configuration file holds.
     */
    public static Map<String, String> scramClientProperties(String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, SingleNodeKraftCluster.SCRAM_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"" + SingleNodeKraftCluster.jaasQuoted(user) + "\" password=\""
                        + SingleNodeKraftCluster.jaasQuoted(password) + "\";");
    }

    /** Sets the SCRAM-SHA-512 password of each user (adding the user), and returns once the broker knows them. */
    public void setScramUsers(Map<String, String> passwordsByUser) {
        requireSecured();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(passwordsByUser.entrySet().stream()
                    .<org.apache.kafka.clients.admin.UserScramCredentialAlteration>map(user ->
                            new UserScramCredentialUpsertion(user.getKey(),
                                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                                    user.getValue()))
                    .toList()).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitTrue(() -> admin.describeUserScramCredentials(List.copyOf(passwordsByUser.keySet())).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size() == passwordsByUser.size(),
                    "the users " + passwordsByUser.keySet());
        } catch (Exception e) {
            throw new IllegalStateException("could not set the SCRAM users " + passwordsByUser.keySet()
                    + " on the broker at " + bootstrapServers + ": " + e, e);
        }
    }

    /** Adds these ACLs (existing ones stay), and returns once the broker enforces them. */
    public void allow(Collection<AclBinding> acls) {
        requireSecured();
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitTrue(() -> admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).containsAll(acls), acls.size() + " ACLs");
        } catch (Exception e) {
            throw new IllegalStateException("could not add ACLs on the broker at " + bootstrapServers + ": " + e, e);
        }
    }

    private void requireSecured() {
        if (!secured()) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " is not secured");
        }
    }

    /** Metadata reaches the broker a moment after the controller accepts it. */
    private static void awaitTrue(CheckedCondition condition, String what) throws Exception {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not show " + what + " within " + ADMIN_TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private interface CheckedCondition {
        boolean holds() throws Exception;
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
        private String adminPassword;

        private Builder() {
        }

        /**
         * Secures the broker: clients log in with SCRAM-SHA-512 and need ACLs; {@code admin}, a super user, logs in
         * with this password ({@link #adminClientProperties()}) and adds the users and ACLs.
         */
        public Builder secured(String adminPassword) {
            if (adminPassword == null || adminPassword.isBlank()) {
                throw new IllegalArgumentException("a secured broker needs an admin password");
            }
            this.adminPassword = adminPassword;
            return this;
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
            KafkaClusterTestKit cluster = SingleNodeKraftCluster.startCluster(directory, port, temporary,
                    adminPassword);
            LocalKafka kafka = new LocalKafka(cluster, directory, stopOnJvmExit, adminPassword);
            log.info("Kafka broker{} ready at {} in {} ms (data in {}{})",
                    adminPassword == null ? "" : " (SASL SCRAM-SHA-512, ACLs)", kafka.bootstrapServers,
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
