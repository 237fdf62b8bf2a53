package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.GrantedResource;
import io.sluice.events.SecretRef;
import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.runner.store.isolation.shim.UnisolatedProcesses;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node told to run without isolation still runs jobs, and says loudly in every heartbeat that it does. */
class UnisolatedNodeTest {

    @TempDir
    Path stateDir;

    @Test
    void an_unisolated_node_runs_jobs_and_warns_in_its_heartbeat() throws Exception {
        try (NodeHarness harness = new NodeHarness("unisolated", "laptop");
             NodeRunner runner = NodeRunner.start(new NodeRunner.Settings("laptop", List.of("linux"), 1, false,
                             stateDir, Duration.ofMillis(500), 1024, Duration.ofDays(7), Duration.ofDays(7), "test"),
                     harness.scope.bootstrapServers(), harness.naming,
                     new UnisolatedProcesses(stateDir.resolve("isolation")), new ServiceHealth(), "node-runner/test",
                     Clock.systemUTC())) {
            harness.send(harness.prepare("w1", "job-1"));
            harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
            harness.send(harness.launch("w1", "job-1", "hello", "exit 4"));
            assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("hello")).getExitCode())
                    .isEqualTo(4);

            NodeHeartbeat heartbeat = await().atMost(NodeHarness.DEADLINE).until(() -> harness.scope.topicReader()
                    .readAll(harness.naming.nameOf(Topic.NODE_HEARTBEATS)).stream()
                    .map(r -> EventCodec.<NodeHeartbeatEnvelope>forTopic(Topic.NODE_HEARTBEATS).decode(r.value()))
                    .map(e -> (NodeHeartbeat) e.getPayload())
                    .findFirst(), Optional::isPresent).orElseThrow();
            assertThat(heartbeat.getIsolation()).isEqualTo(IsolationMode.NONE);
            assertThat(heartbeat.getWarnings()).singleElement().asString().contains("isolation is NONE");
            assertThat(heartbeat.getCgroups()).as("no cgroups without isolation").isNull();
        }
    }

    @Test
    void an_unisolated_process_finds_its_resources_at_their_host_path() throws Exception {
        SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", SecretKeyRing.generateKey()), "k1"));
        try (NodeHarness harness = new NodeHarness("unisolated-resources", "laptop");
             NodeRunner runner = NodeRunner.start(new NodeRunner.Settings("laptop", List.of("linux"), 1, false,
                             stateDir, Duration.ofMillis(500), 1024 * 1024, Duration.ofDays(7), Duration.ofDays(7),
                             "test"),
                     harness.scope.bootstrapServers(), harness.naming,
                     new UnisolatedProcesses(stateDir.resolve("isolation")), sealer, new ServiceHealth(),
                     "node-runner/test", Clock.systemUTC())) {
            PrepareWorker prepare = harness.prepare("w1", "job-1");
            prepare.setResources(List.of(GrantedResource.newBuilder().setResourceId("res-1").setType("token")
                    .setMetadata(Map.of("audience", "jobs"))
                    .setSecrets(List.of(new SecretRef("jwt", sealer.seal("res-1", "jwt", "eyJ.secret")))).build()));
            harness.send(prepare);
            harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
            harness.send(harness.launch("w1", "job-1", "read", "echo \"$SLUICE_RESOURCES_DIR "
                    + "$SLUICE_RESOURCE_TOKEN_AUDIENCE $(cat \"$SLUICE_RESOURCES_DIR/token/jwt\")\""));
            assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("read")).getExitCode())
                    .isZero();

            Path resources = stateDir.resolve("workers/w1/resources");
            await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logsOf("job-1", "read"))
                    .equals(resources + " jobs eyJ.secret\n"));
            harness.send(harness.destroy("w1", "job-1"));
            harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w1"));
            assertThat(resources).doesNotExist();
        }
    }
}
