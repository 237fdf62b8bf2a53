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

    private static final String CLUSTER_ID_FILE = "cluster.id";

    private SingleNodeKraftCluster() {
    }

    static KafkaClusterTestKit startCluster(Path directory, int clientPort, boolean deleteOnClose) {
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
