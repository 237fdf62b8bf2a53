package io.sluice.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.runner.store.isolation.process.HostUser;
import io.sluice.runner.store.isolation.runc.RuncIsolation;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node runner started as the service with isolation auto: isolated where the host offers runc (this one: root,
 * runc, cgroup v1 hybrid), and, where it does not, running unisolated, saying why in one line of its heartbeat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoIsolationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;
    private IsolatedScope scope;

    @BeforeAll
    void isolate() {
        scope = TestInfra.shared().isolate("auto-isolation");
    }

    @AfterAll
    void release() {
        scope.close();
    }

    @Test
    void without_runc_auto_runs_unisolated_and_says_what_is_missing_in_one_line_of_its_heartbeat() {
        try (EmbeddedServer ignored = ApplicationContext.run(EmbeddedServer.class, properties("auto-no-runc",
                Map.of("sluice.node.runc", "/nonexistent/runc")))) {
            NodeHeartbeat heartbeat = awaitHeartbeat("auto-no-runc");

            assertThat(heartbeat.getIsolation()).isEqualTo(IsolationMode.NONE);
            assertThat(heartbeat.getCgroups()).isNull();
            assertThat(heartbeat.getWarnings()).singleElement().asString()
                    .startsWith("isolation is NONE (job processes run as plain host processes): ")
                    .contains("runc not found at /nonexistent/runc")
                    .contains("to isolate jobs, install runc (apt-get install runc)")
                    .doesNotContain("\n");
        }
    }

    @Test
    void with_runc_tini_root_and_cgroups_auto_isolates_as_runc_does() {
        assumeTrue(HostUser.euid() == 0 && Files.isExecutable(Path.of("/usr/sbin/runc")),
                "needs root and runc, as CI has");
        try (EmbeddedServer ignored = ApplicationContext.run(EmbeddedServer.class, properties("auto-runc",
                Map.of()))) {
            NodeHeartbeat heartbeat = awaitHeartbeat("auto-runc");

            assertThat(heartbeat.getIsolation()).isEqualTo(IsolationMode.RUNC);
            assertThat(heartbeat.getCgroups()).isEqualTo(RuncIsolation.hostCgroupHierarchy())
                    .isIn("v1", "hybrid", "v2");
            assertThat(heartbeat.getWarnings()).isEmpty();
        }
    }

    private NodeHeartbeat awaitHeartbeat(String nodeId) {
        String topic = new TopicNaming(scope.topicPrefix()).nameOf(Topic.NODE_HEARTBEATS);
        return await().atMost(DEADLINE).until(() -> scope.topicReader().readAll(topic).stream()
                .map(r -> EventCodec.<NodeHeartbeatEnvelope>forTopic(Topic.NODE_HEARTBEATS).decode(r.value()))
                .map(e -> (NodeHeartbeat) e.getPayload())
                .filter(h -> h.getNodeId().equals(nodeId))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private Map<String, Object> properties(String nodeId, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("sluice.kafka.bootstrap-servers", scope.bootstrapServers());
        properties.put("sluice.topic-prefix", scope.topicPrefix());
        properties.put("sluice.retry-interval", "1s");
        properties.put("sluice.node.id", nodeId);
        properties.put("sluice.node.state-dir", stateDir.resolve(nodeId).toString());
        properties.put("sluice.node.heartbeat-interval", "500ms");
        properties.put("sluice.node.isolation", "auto");
        properties.putAll(overrides);
        return properties;
    }
}
