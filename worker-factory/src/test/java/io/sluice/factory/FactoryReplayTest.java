package io.sluice.factory;

import static io.sluice.factory.FactoryFixtures.aDemand;
import static io.sluice.factory.FactoryFixtures.aNode;
import static io.sluice.factory.FactoryFixtures.aRelease;
import static io.sluice.factory.FactoryFixtures.prepared;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Invariant 8 on the real factory: its consumer groups reset to offset 0 change no worker and emit nothing again,
 * so no worker is placed, prepared or destroyed twice.
 */
class FactoryReplayTest {

    private static final Map<String, Topic> CONSUMERS = Map.of(
            "worker-factory.demands", Topic.WORKER_DEMANDS,
            "worker-factory.node-events", Topic.NODE_EVENTS,
            "worker-factory.heartbeats", Topic.NODE_HEARTBEATS);

    @Test
    void replaying_every_topic_the_factory_consumes_from_offset_zero_changes_nothing_and_emits_nothing()
            throws Exception {
        Map<String, Object> settings = Map.of("sluice.factory.node-lost-after", "2m");
        try (FactoryHarness harness = new FactoryHarness("factory-replay").startFactory(settings)) {
            harness.nodeUp(aNode("replay-node", "linux", 2));
            harness.jobServiceAsks(aDemand("kept", "linux"));
            harness.jobServiceAsks(aDemand("released", "linux"));
            harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("released"));
            harness.nodeReports(prepared("replay-node", "kept"));
            harness.nodeReports(prepared("replay-node", "released"));
            harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("released"));
            harness.jobServiceAsks(aRelease("released", "linux"));
            harness.awaitToNodes(io.sluice.events.node.DestroyWorker.class, e -> e.getJobId().equals("released"));
            harness.nodeReports(WorkerDestroyed.newBuilder().setNodeId("replay-node").setWorkerId("released.1")
                    .setJobId("released").build());
            harness.awaitToJobs(WorkerReleased.class, e -> e.getJobId().equals("released"));
            ConsumerGroups groups = new ConsumerGroups(harness.scope, CONSUMERS);
            groups.awaitConsumedToTheEnd(Duration.ofSeconds(60));
            int workerEvents = harness.workerEvents().size();
            int nodeCommands = harness.nodeCommands().size();
            List<String> workers = harness.query("SELECT worker_id || ' ' || state FROM worker_factory.worker ORDER BY worker_id");

            harness.stopFactories(groups::resetToZero);
            harness.startFactory(settings);
            groups.awaitConsumedToTheEnd(Duration.ofSeconds(60));

            assertThat(harness.workerEvents()).hasSize(workerEvents);
            assertThat(harness.nodeCommands()).hasSize(nodeCommands);
            assertThat(harness.query("SELECT worker_id || ' ' || state FROM worker_factory.worker ORDER BY worker_id"))
                    .isEqualTo(workers).hasSize(2);
        }
    }
}
