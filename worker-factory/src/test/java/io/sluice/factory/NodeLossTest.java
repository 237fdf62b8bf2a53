package io.sluice.factory;

import static io.sluice.factory.FactoryFixtures.aDemand;
import static io.sluice.factory.FactoryFixtures.aNode;
import static io.sluice.factory.FactoryFixtures.hosting;
import static io.sluice.factory.FactoryFixtures.prepared;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.node.DestroyWorker;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerLost;
import io.sluice.events.worker.WorkerPreparing;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node that stops heart-beating is lost with its workers; when it comes back it is live again, minus those. */
class NodeLossTest {

    private static final Duration LOST_AFTER = Duration.ofSeconds(3);

    @Test
    void a_silent_node_loses_its_workers_and_when_back_is_told_to_destroy_them() throws Exception {
        try (FactoryHarness harness = new FactoryHarness("factory-node-loss").startFactory(Map.of(
                "sluice.factory.node-lost-after", LOST_AFTER.toMillis() + "ms",
                "sluice.factory.lost-node-check-interval", "100ms"))) {
            var node = aNode("lost-1", "linux", 2);
            harness.keepAlive(node);
            harness.jobServiceAsks(aDemand("lo-a", "linux"));
            harness.jobServiceAsks(aDemand("lo-b", "linux"));
            harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("lo-b"));
            harness.keepAlive(hosting(node, "lo-a.1")); // a node lists a worker before it reports it prepared
            harness.nodeReports(prepared("lost-1", "lo-a"));
            harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("lo-a"));

            harness.silence("lost-1");

            WorkerLost running = harness.awaitToJobs(WorkerLost.class, e -> e.getJobId().equals("lo-a"));
            WorkerLost preparing = harness.awaitToJobs(WorkerLost.class, e -> e.getJobId().equals("lo-b"));
            assertThat(running.getWorkerId()).isEqualTo("lo-a.1");
            assertThat(running.getNodeId()).isEqualTo("lost-1");
            assertThat(running.getReason()).startsWith("node-lost: node lost-1 sent no heartbeat for ")
                    .endsWith("; limit 3.0 s)");
            assertThat(running.getLastHeartbeatAt()).isNotNull();
            assertThat(preparing.getWorkerId()).isEqualTo("lo-b.1");
            assertThat(harness.get("/nodes").body()).contains("\"nodeId\":\"lost-1\"", "\"slotsUsed\":0",
                    "\"lost\":true");
            assertThat(harness.get("/workers").body()).contains("\"workerId\":\"lo-a.1\"", "\"state\":\"LOST\"");
            harness.jobServiceAsks(aDemand("lo-c", "linux"));
            harness.awaitDemandState("lo-c", "QUEUED");

            harness.keepAlive(hosting(node, "lo-a.1"));

            DestroyWorker destroy = harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("lo-a.1"));
            assertThat(destroy.getNodeId()).isEqualTo("lost-1");
            assertThat(destroy.getReason()).isEqualTo("the factory knows worker lo-a.1 as lost");
            assertThat(harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("lo-c")).getNodeId())
                    .as("back and live: its free slot goes to the queued demand").isEqualTo("lost-1");
            assertThat(harness.toJobs(WorkerLost.class)).as("lost once").hasSize(2);
        }
    }

    @Test
    void a_live_node_whose_heartbeats_stop_listing_an_assigned_worker_has_lost_it() throws Exception {
        try (FactoryHarness harness = new FactoryHarness("factory-unlisted").startFactory(Map.of())) {
            var node = aNode("forgetful-1", "linux", 1);
            harness.keepAlive(node);
            harness.jobServiceAsks(aDemand("fo-a", "linux"));
            harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fo-a"));
            harness.keepAlive(hosting(node, "fo-a.1")); // a node lists a worker before it reports it prepared
            harness.nodeReports(prepared("forgetful-1", "fo-a"));
            harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("fo-a"));
            harness.jobServiceAsks(aDemand("fo-b", "linux"));
            harness.awaitDemandState("fo-b", "QUEUED");
            assertThat(harness.toJobs(WorkerLost.class)).as("listed: not lost").isEmpty();

            harness.keepAlive(node); // the node restarted with an empty state dir and lists no worker any more

            WorkerLost lost = harness.awaitToJobs(WorkerLost.class, e -> e.getJobId().equals("fo-a"));
            assertThat(lost.getReason()).startsWith("node-lost: node forgetful-1 no longer has worker fo-a.1");
            assertThat(harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fo-b")).getNodeId())
                    .as("the lost worker's slot goes to the queued demand").isEqualTo("forgetful-1");
            assertThat(harness.toJobs(WorkerLost.class)).as("lost once").hasSize(1);
        }
    }
}
