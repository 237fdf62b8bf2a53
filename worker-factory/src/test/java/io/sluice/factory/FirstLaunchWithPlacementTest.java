package io.sluice.factory;

import static io.sluice.factory.FactoryFixtures.aDemand;
import static io.sluice.factory.FactoryFixtures.aDemandLaunching;
import static io.sluice.factory.FactoryFixtures.aNode;
import static io.sluice.factory.FactoryFixtures.aRelease;
import static io.sluice.factory.FactoryFixtures.destroyed;
import static io.sluice.factory.FactoryFixtures.launchRejected;
import static io.sluice.factory.FactoryFixtures.prepareFailed;
import static io.sluice.factory.FactoryFixtures.prepared;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.worker.FirstLaunch;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerEventEnvelope;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.schemas.Envelopes;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A demand carrying the job's first launch: the factory sends the LaunchProcess right after the PrepareWorker, to
 * the same node, whether it places the demand at once or later from its queue. One factory serves the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstLaunchWithPlacementTest {

    private FactoryHarness harness;

    @BeforeAll
    void startFactory() throws Exception {
        harness = new FactoryHarness("factory-first-launch").startFactory(Map.of(
                "sluice.factory.node-lost-after", "2m",
                "sluice.factory.targets.at-once.description", "at-once",
                "sluice.factory.targets.queued.description", "queued",
                "sluice.factory.targets.unprepared.description", "unprepared"));
    }

    @AfterAll
    void stopFactory() throws Exception {
        harness.close();
    }

    @Test
    void a_demand_placed_at_once_gets_prepare_then_launch_on_its_node_and_the_assignment_launches_nothing_more()
            throws Exception {
        harness.nodeUp(aNode("once-1", "at-once", 2));

        harness.jobServiceAsks(aDemandLaunching("once-a", "at-once", "build"));

        LaunchProcess launch = harness.awaitToNodes(LaunchProcess.class, c -> c.getJobId().equals("once-a"));
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("once-a"));
        FirstLaunch asked = aDemandLaunching("once-a", "at-once", "build").getFirstLaunch();
        assertThat(launch.getNodeId()).isEqualTo("once-1");
        assertThat(launch.getWorkerId()).isEqualTo("once-a.1");
        assertThat(launch.getProcess()).isEqualTo("build");
        assertThat(launch.getArgv()).isEqualTo(asked.getArgv());
        assertThat(launch.getEnv()).isEqualTo(asked.getEnv());
        assertThat(launch.getWorkdir()).isEqualTo("src");
        assertThat(launch.getLimits()).isEqualTo(asked.getLimits());
        assertThat(launch.getCapabilities()).isEqualTo(asked.getCapabilities());
        assertThat(launch.getShutdownSignal()).isEqualTo(asked.getShutdownSignal());
        assertThat(launch.getStopGraceMillis()).isEqualTo(1_500);
        assertThat(commandsFor("once-a.1")).containsExactly("PrepareWorker", "LaunchProcess");
        assertThat(harness.commandKeysFor("once-a.1")).containsOnly("once-1");
        assertThat(causesOf("once-a")).as("WorkerPreparing, PrepareWorker and LaunchProcess come from one decision")
                .hasSize(1);

        harness.nodeReports(prepared("once-1", "once-a"));

        harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("once-a"));
        assertThat(commandsFor("once-a.1")).containsExactly("PrepareWorker", "LaunchProcess");
    }

    @Test
    void a_queued_demand_keeps_its_launch_and_gets_it_after_the_prepare_when_a_slot_frees() throws Exception {
        harness.nodeUp(aNode("queue-1", "queued", 1));
        harness.jobServiceAsks(aDemand("queue-a", "queued"));
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("queue-a"));
        harness.jobServiceAsks(aDemandLaunching("queue-b", "queued", "test"));
        harness.awaitDemandState("queue-b", "QUEUED");
        assertThat(commandsFor("queue-a.1")).as("a demand without a launch gets none").containsExactly("PrepareWorker");
        assertThat(commandsFor("queue-b.1")).isEmpty();

        harness.nodeReports(prepared("queue-1", "queue-a"));
        harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("queue-a"));
        harness.jobServiceAsks(aRelease("queue-a", "queued"));
        harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("queue-a.1"));
        harness.nodeReports(destroyed("queue-1", "queue-a.1"));

        LaunchProcess launch = harness.awaitToNodes(LaunchProcess.class, c -> c.getJobId().equals("queue-b"));
        assertThat(launch.getNodeId()).isEqualTo("queue-1");
        assertThat(launch.getWorkerId()).isEqualTo("queue-b.1");
        assertThat(launch.getProcess()).isEqualTo("test");
        assertThat(launch.getArgv()).containsExactly("/bin/sh", "-c", "make all");
        assertThat(commandsFor("queue-b.1")).containsExactly("PrepareWorker", "LaunchProcess");
        assertThat(harness.demandState("queue-b")).isEqualTo("PLACED");
        assertThat(harness.queryOne("SELECT envelope IS NULL FROM worker_factory.demand WHERE job_id = ?", "queue-b"))
                .as("the stored demand is dropped once placed").contains("t");
    }

    @Test
    void when_preparation_fails_the_nodes_rejection_of_the_launch_changes_nothing() throws Exception {
        harness.nodeUp(aNode("unprep-1", "unprepared", 2));
        harness.jobServiceAsks(aDemandLaunching("unprep-a", "unprepared", "build"));
        harness.awaitToNodes(LaunchProcess.class, c -> c.getJobId().equals("unprep-a"));

        harness.nodeReports(prepareFailed("unprep-1", "unprep-a", "input bin/tool: sha256 mismatch"));
        harness.nodeReports(launchRejected("unprep-1", "unprep-a"));
        harness.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("unprep-a"));
        harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("unprep-a.1"));
        harness.nodeReports(destroyed("unprep-1", "unprep-a.1"));
        // The node's events share a partition: once the next job is placed after the destruction, all were handled.
        harness.jobServiceAsks(aDemand("unprep-b", "unprepared"));
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("unprep-b"));
        harness.nodeReports(prepared("unprep-1", "unprep-b"));
        harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("unprep-b"));

        assertThat(toJobsAbout("unprep-a")).containsExactly("WorkerPreparing", "WorkerFailed");
        assertThat(commandsFor("unprep-a.1")).containsExactly("PrepareWorker", "LaunchProcess", "DestroyWorker");
        assertThat(harness.toJobs(WorkerReleased.class)).noneMatch(e -> e.getJobId().equals("unprep-a"));
        assertThat(harness.queryOne("SELECT state FROM worker_factory.worker WHERE worker_id = ?", "unprep-a.1"))
                .contains("DESTROYED");
    }

    private List<String> commandsFor(String workerId) {
        return harness.nodeCommands().stream().map(FirstLaunchWithPlacementTest::payloadOf)
                .filter(payload -> workerId.equals(fieldOf(payload, "workerId")))
                .map(payload -> payload.getSchema().getName()).toList();
    }

    private List<String> toJobsAbout(String jobId) {
        return harness.workerEvents().stream().map(FirstLaunchWithPlacementTest::payloadOf)
                .filter(payload -> jobId.equals(fieldOf(payload, "jobId")))
                .map(payload -> payload.getSchema().getName()).toList();
    }

    private static SpecificRecordBase payloadOf(SpecificRecordBase envelope) {
        return (SpecificRecordBase) Envelopes.payloadOf(envelope);
    }

    private static String fieldOf(SpecificRecordBase payload, String field) {
        return payload.getSchema().getField(field) == null ? null : String.valueOf(payload.get(field));
    }

    private List<String> causesOf(String jobId) {
        List<NodeCommandEnvelope> commands = harness.nodeCommands().stream()
                .filter(c -> c.getMetadata().getCorrelationId().equals(jobId)).toList();
        List<WorkerEventEnvelope> events = harness.workerEvents().stream()
                .filter(e -> e.getMetadata().getCorrelationId().equals(jobId)).toList();
        return Stream.concat(commands.stream().map(c -> c.getMetadata().getCausationId()),
                events.stream().map(e -> e.getMetadata().getCausationId())).map(String::valueOf).distinct().toList();
    }
}
