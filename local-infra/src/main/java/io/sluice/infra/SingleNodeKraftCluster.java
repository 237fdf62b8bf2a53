package io.sluice.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/** Builds, formats (once per data directory) and starts Kafka's in-process test cluster as one combined KRaft node. */
final class SingleNodeKraftCluster {

    /** The clients' listener; not the test kit's own, so that it can bind a fixed port. */
    static final String CLIENT_LISTENER = "CLIENT";
    /** A secured broker's own listener (inter-broker, and the admin's): PLAIN, its only user the admin. */
    static final String INTERNAL_LISTENER = "INTERNAL";
    static final String ADMIN = "admin";
    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private static final String CLUSTER_ID_FILE = "cluster.id";

    private SingleNodeKraftCluster() {
    }

    /** @param adminPassword the admin's password for a secured broker (SASL and ACLs), null for a plain one */
    static KafkaClusterTestKit startCluster(Path directory, int clientPort, boolean deleteOnClose,
                                            String adminPassword) {
        try {
            Files.createDirectories(directory);
            Path clusterIdFile = directory.resolve(CLUSTER_ID_FILE);
            boolean formatted = Files.exists(clusterIdFile);
            String clusterId = formatted
                    ? Files.readString(clusterIdFile, StandardCharsets.UTF_8).strip()
                    : Uuid.randomUuid().toString();
            TestKitNodes nodes = new TestKitNodes.Builder(productionMetadata())
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(directory)
                    .setClusterId(clusterId)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(deleteOnClose);
            brokerConfig(nodes, clientPort).forEach(builder::setConfigProp);
            if (adminPassword != null) {
                securedBrokerConfig(nodes, clientPort, adminPassword).forEach(builder::setConfigProp);
            }
            KafkaClusterTestKit cluster = builder.build();
            try {
                if (!formatted) {
                    cluster.format();
                    Files.writeString(clusterIdFile, clusterId, StandardCharsets.UTF_8);
                }
                cluster.startup();
                cluster.waitForReadyBrokers();
                return cluster;
            } catch (Exception e) {
                closeQuietly(cluster, e);
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker in " + directory, e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker in " + directory + " did not start", e);
        }
    }

    private static Map<String, Object> brokerConfig(TestKitNodes nodes, int clientPort) {
        String controllerListener = nodes.controllerListenerName().value();
        return Map.ofEntries(
                Map.entry("listeners", CLIENT_LISTENER + "://localhost:" + clientPort + "," + controllerListener + "://localhost:0"),
                Map.entry("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + controllerListener + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", CLIENT_LISTENER),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                // One partition per internal topic, as Testcontainers does: a single node gains nothing from 50.
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("unstable.api.versions.enable", "false"),
                Map.entry("unstable.feature.versions.enable", "false"));
    }

    /**
     * SASL on every listener, ACLs enforced, nothing allowed without one, the admin a super user. Clients log in
     * with SCRAM-SHA-512 (credentials the admin adds); the broker itself and the admin use PLAIN on the internal and
     * controller listeners, whose only user is the admin: SCRAM credentials live in the cluster's metadata, which
     * the broker must reach before any exist.
     */
    private static Map<String, Object> securedBrokerConfig(TestKitNodes nodes, int clientPort, String adminPassword) {
        String controller = nodes.controllerListenerName().value();
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                + "\" password=\"" + jaasQuoted(adminPassword) + "\" user_" + ADMIN + "=\"" + jaasQuoted(adminPassword)
                + "\";";
        return Map.ofEntries(
                Map.entry("listeners", CLIENT_LISTENER + "://localhost:" + clientPort + "," + INTERNAL_LISTENER
                        + "://localhost:0," + controller + "://localhost:0"),
                Map.entry("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT," + INTERNAL_LISTENER
                        + ":SASL_PLAINTEXT," + controller + ":SASL_PLAINTEXT"),
                Map.entry("inter.broker.listener.name", INTERNAL_LISTENER),
                Map.entry("sasl.enabled.mechanisms", "PLAIN," + SCRAM_MECHANISM),
                Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
                Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
                Map.entry(listenerPrefix(CLIENT_LISTENER) + "sasl.enabled.mechanisms", SCRAM_MECHANISM),
                Map.entry(listenerPrefix(CLIENT_LISTENER) + SCRAM_MECHANISM.toLowerCase() + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry(listenerPrefix(INTERNAL_LISTENER) + "sasl.enabled.mechanisms", "PLAIN"),
                Map.entry(listenerPrefix(INTERNAL_LISTENER) + "plain.sasl.jaas.config", plain),
                Map.entry(listenerPrefix(controller) + "sasl.enabled.mechanisms", "PLAIN"),
                Map.entry(listenerPrefix(controller) + "plain.sasl.jaas.config", plain),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:" + ADMIN));
    }

    private static String listenerPrefix(String listener) {
        return "listener.name." + listener.toLowerCase() + ".";
    }

    /** A value inside a JAAS configuration's double quotes. */
    static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The metadata version and feature levels a released broker would start with, not the test kit's unstable ones. */
    private static BootstrapMetadata productionMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, f -> f.defaultLevel(version), (a, b) -> a, TreeMap::new));
        return BootstrapMetadata.fromVersions(version, features, "sluice");
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception cause) {
        try {
            cluster.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
