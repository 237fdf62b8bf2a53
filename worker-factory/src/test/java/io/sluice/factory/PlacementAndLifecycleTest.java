package io.sluice.factory;

import static io.sluice.factory.FactoryFixtures.aDemand;
import static io.sluice.factory.FactoryFixtures.aFullDemand;
import static io.sluice.factory.FactoryFixtures.aNode;
import static io.sluice.factory.FactoryFixtures.aRelease;
import static io.sluice.factory.FactoryFixtures.aWithdrawal;
import static io.sluice.factory.FactoryFixtures.destroyed;
import static io.sluice.factory.FactoryFixtures.draining;
import static io.sluice.factory.FactoryFixtures.hosting;
import static io.sluice.factory.FactoryFixtures.prepareFailed;
import static io.sluice.factory.FactoryFixtures.prepared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.core.type.Argument;
import io.sluice.events.JobNetwork;
import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.factory.domain.NodeWarnings;
import io.sluice.factory.edge.http.NodeView;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The factory as job-service and node runners see it: placement, queues, releases, withdrawals, draining,
 * reconciliation, failed preparations and what nodes say of their isolation. One factory serves the class; each test has its own target and nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementAndLifecycleTest {

    private FactoryHarness harness;

    @BeforeAll
    void startFactory() throws Exception {
        harness = new FactoryHarness("factory-lifecycle").startFactory(Map.ofEntries(
                Map.entry("sluice.factory.node-lost-after", "2m"),
                Map.entry("sluice.factory.metrics-interval", "200ms"),
                Map.entry("sluice.factory.targets.linux.description", "Linux hosts"),
                Map.entry("sluice.factory.targets.linux.aliases", "debian,ubuntu"),
                Map.entry("sluice.factory.targets.placement.description", "placement"),
                Map.entry("sluice.factory.targets.fifo.description", "fifo"),
                Map.entry("sluice.factory.targets.withdraw-queued.description", "withdraw-queued"),
                Map.entry("sluice.factory.targets.withdraw-placed.description", "withdraw-placed"),
                Map.entry("sluice.factory.targets.drain.description", "drain"),
                Map.entry("sluice.factory.targets.reconcile.description", "reconcile"),
                Map.entry("sluice.factory.targets.prepare-fail.description", "prepare-fail"),
                Map.entry("sluice.factory.targets.duplicate.description", "duplicate"),
                Map.entry("sluice.factory.targets.isolation-report.description", "isolation-report")));
    }

    @AfterAll
    void stopFactory() throws Exception {
        harness.close();
    }

    @Test
    void a_demand_goes_to_the_least_loaded_node_serving_its_target_and_is_assigned_once_prepared() throws Exception {
        harness.nodeUp(aNode("place-1", "placement", 2));
        harness.nodeUp(aNode("place-2", "placement", 2));

        harness.jobServiceAsks(aFullDemand("job-a", "placement"));
        WorkerPreparing first = harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("job-a"));
        harness.jobServiceAsks(aDemand("job-b", "placement"));
        WorkerPreparing second = harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("job-b"));

        assertThat(first.getNodeId()).as("equally loaded nodes: the first by id").isEqualTo("place-1");
        assertThat(first.getWorkerId()).isEqualTo("job-a.1");
        assertThat(second.getNodeId()).as("the least loaded node").isEqualTo("place-2");
        PrepareWorker prepare = harness.awaitToNodes(PrepareWorker.class, c -> c.getWorkerId().equals("job-a.1"));
        WorkerDemanded demanded = aFullDemand("job-a", "placement");
        assertThat(prepare.getNodeId()).isEqualTo("place-1");
        assertThat(prepare.getTarget()).isEqualTo("placement");
        assertThat(prepare.getOwner()).isEqualTo(demanded.getOwner());
        assertThat(prepare.getInputs()).isEqualTo(demanded.getInputs());
        assertThat(prepare.getResources()).isEqualTo(demanded.getResources());
        assertThat(prepare.getPersistentStore()).isEqualTo("cache");
        assertThat(prepare.getNetwork()).as("the job's network, as demanded").isEqualTo(JobNetwork.HOST);
        assertThat(harness.awaitToNodes(PrepareWorker.class, c -> c.getWorkerId().equals("job-b.1")).getNetwork())
                .as("a demand that names no network").isEqualTo(JobNetwork.ISOLATED);
        assertThat(harness.commandKeysFor("job-a.1")).as("commands are keyed by node id").containsOnly("place-1");

        harness.nodeReports(prepared("place-1", "job-a"));

        WorkerAssigned assigned = harness.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("job-a"));
        assertThat(assigned.getWorkerId()).isEqualTo("job-a.1");
        assertThat(assigned.getNodeId()).isEqualTo("place-1");
        assertThat(harness.get("/nodes").body())
                .contains("{\"nodeId\":\"place-1\",\"hostname\":\"place-1.example\",\"targets\":[\"placement\"],"
                        + "\"slotsTotal\":2,\"slotsUsed\":1,\"draining\":false,\"lost\":false");
        assertThat(harness.get("/workers").body())
                .contains("{\"workerId\":\"job-a.1\",\"jobId\":\"job-a\",\"attempt\":1,\"target\":\"placement\","
                        + "\"nodeId\":\"place-1\",\"state\":\"ASSIGNED\"");
    }

    @Test
    void with_one_slot_demands_wait_in_fifo_order_and_each_release_gives_the_slot_to_the_next() throws Exception {
        harness.nodeUp(aNode("fifo-1", "fifo", 1));

        harness.jobServiceAsks(aDemand("fifo-a", "fifo"));
        harness.jobServiceAsks(aDemand("fifo-b", "fifo"));
        harness.jobServiceAsks(aDemand("fifo-c", "fifo"));

        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fifo-a"));
        harness.awaitDemandState("fifo-c", "QUEUED");
        assertThat(harness.demandState("fifo-b")).isEqualTo("QUEUED");
        await().atMost(FactoryHarness.DEADLINE).untilAsserted(() -> assertThat(harness.get("/prometheus").body())
                .containsPattern("sluice_factory_demands_queued\\{target=\"fifo\"} 2\\.0"));

        releaseAndDestroy("fifo-1", "fifo-a", "fifo");
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fifo-b"));
        assertThat(harness.demandState("fifo-c")).isEqualTo("QUEUED");

        releaseAndDestroy("fifo-1", "fifo-b", "fifo");
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fifo-c"));

        assertThat(harness.toNodes(PrepareWorker.class)).filteredOn(c -> c.getNodeId().equals("fifo-1"))
                .extracting(PrepareWorker::getWorkerId).containsExactly("fifo-a.1", "fifo-b.1", "fifo-c.1");
    }

    @Test
    void a_withdrawn_queued_demand_is_dropped_and_answered_with_worker_failed() throws Exception {
        harness.nodeUp(aNode("withdraw-1", "withdraw-queued", 1));
        harness.jobServiceAsks(aDemand("wq-a", "withdraw-queued"));
        harness.jobServiceAsks(aDemand("wq-b", "withdraw-queued"));
        harness.awaitDemandState("wq-b", "QUEUED");

        harness.jobServiceAsks(aWithdrawal("wq-b", "withdraw-queued"));

        WorkerFailed failed = harness.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("wq-b"));
        assertThat(failed.getReason()).isEqualTo("demand withdrawn");
        assertThat(failed.getWorkerId()).isNull();
        assertThat(failed.getNodeId()).isNull();
        releaseAndDestroy("withdraw-1", "wq-a", "withdraw-queued");
        assertThat(harness.demandState("wq-b")).isEqualTo("WITHDRAWN");
        assertThat(harness.query("SELECT worker_id FROM worker_factory.worker WHERE job_id = 'wq-b'"))
                .as("the freed slot went to no withdrawn demand").isEmpty();
    }

    @Test
    void a_withdrawn_placed_demand_destroys_its_worker_and_is_answered_with_worker_released() throws Exception {
        harness.nodeUp(aNode("withdraw-2", "withdraw-placed", 1));
        harness.jobServiceAsks(aDemand("wp-a", "withdraw-placed"));
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("wp-a"));

        harness.jobServiceAsks(aWithdrawal("wp-a", "withdraw-placed"));

        DestroyWorker destroy = harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("wp-a.1"));
        assertThat(destroy.getNodeId()).isEqualTo("withdraw-2");
        assertThat(destroy.getReason()).isEqualTo("demand withdrawn: cancelled by alice");
        harness.nodeReports(destroyed("withdraw-2", "wp-a.1"));
        WorkerReleased released = harness.awaitToJobs(WorkerReleased.class, e -> e.getJobId().equals("wp-a"));
        assertThat(released.getWorkerId()).isEqualTo("wp-a.1");
        assertThat(harness.toJobs(WorkerFailed.class)).noneMatch(e -> e.getJobId().equals("wp-a"));
    }

    @Test
    void a_draining_node_gets_no_new_workers_until_it_stops_draining() throws Exception {
        var idle = aNode("drain-1", "drain", 2);
        harness.nodeUp(draining(idle));
        harness.nodeUp(aNode("drain-2", "drain", 1));

        harness.jobServiceAsks(aDemand("dr-a", "drain"));
        harness.jobServiceAsks(aDemand("dr-b", "drain"));

        assertThat(harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("dr-a")).getNodeId())
                .as("the emptier node drains").isEqualTo("drain-2");
        harness.awaitDemandState("dr-b", "QUEUED");
        harness.nodeUp(idle);
        assertThat(harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("dr-b")).getNodeId())
                .isEqualTo("drain-1");
    }

    @Test
    void a_node_hosting_a_worker_the_factory_does_not_know_destroys_it_once_and_its_slot_waits_for_that()
            throws Exception {
        var node = aNode("recon-1", "reconcile", 1);
        harness.nodeUp(hosting(node, "ghost.1"));

        DestroyWorker destroy = harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("ghost.1"));
        assertThat(destroy.getNodeId()).isEqualTo("recon-1");
        assertThat(destroy.getJobId()).isEqualTo("ghost");
        assertThat(destroy.getReason()).isEqualTo("worker ghost.1 is unknown to the factory");
        harness.jobServiceAsks(aDemand("rc-a", "reconcile"));
        harness.awaitDemandState("rc-a", "QUEUED");
        Instant again = harness.heartbeat(hosting(node, "ghost.1"));
        harness.awaitHeartbeatApplied("recon-1", again);
        assertThat(harness.toNodes(DestroyWorker.class)).filteredOn(c -> c.getWorkerId().equals("ghost.1"))
                .as("told once, not on every heartbeat").hasSize(1);

        harness.nodeReports(destroyed("recon-1", "ghost.1"));

        assertThat(harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("rc-a")).getNodeId())
                .isEqualTo("recon-1");
        Instant withItsWorker = harness.heartbeat(hosting(node, "rc-a.1"));
        harness.awaitHeartbeatApplied("recon-1", withItsWorker);
        assertThat(harness.toNodes(DestroyWorker.class)).noneMatch(c -> c.getWorkerId().equals("rc-a.1"));
    }

    @Test
    void a_failed_preparation_fails_the_worker_with_the_node_reason_and_frees_its_slot_once_destroyed()
            throws Exception {
        harness.nodeUp(aNode("fail-1", "prepare-fail", 1));
        harness.jobServiceAsks(aDemand("pf-a", "prepare-fail"));
        harness.jobServiceAsks(aDemand("pf-b", "prepare-fail"));
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("pf-a"));
        harness.awaitDemandState("pf-b", "QUEUED");

        harness.nodeReports(prepareFailed("fail-1", "pf-a", "input bin/tool: sha256 mismatch"));

        WorkerFailed failed = harness.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("pf-a"));
        assertThat(failed.getReason()).isEqualTo("input bin/tool: sha256 mismatch");
        assertThat(failed.getWorkerId()).isEqualTo("pf-a.1");
        assertThat(failed.getNodeId()).isEqualTo("fail-1");
        harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("pf-a.1"));
        assertThat(harness.demandState("pf-b")).as("the slot is held until the node cleaned up").isEqualTo("QUEUED");

        harness.nodeReports(destroyed("fail-1", "pf-a.1"));

        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("pf-b"));
        assertThat(harness.toJobs(WorkerReleased.class)).noneMatch(e -> e.getJobId().equals("pf-a"));
    }

    @Test
    void an_alias_reaches_its_target_and_an_unknown_target_fails_naming_the_known_ones() throws Exception {
        harness.nodeUp(aNode("alias-1", "ubuntu", 1));

        harness.jobServiceAsks(aDemand("al-a", "debian"));
        harness.jobServiceAsks(aDemand("al-b", "solaris"));

        WorkerPreparing preparing = harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("al-a"));
        assertThat(preparing.getNodeId()).isEqualTo("alias-1");
        assertThat(preparing.getTarget()).isEqualTo("linux");
        WorkerFailed failed = harness.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("al-b"));
        assertThat(failed.getReason()).startsWith("unknown target 'solaris'; known targets: ")
                .contains("linux (aliases debian, ubuntu)", "fifo");
        assertThat(failed.getWorkerId()).isNull();
    }

    @Test
    void a_repeated_demand_places_nothing_more() throws Exception {
        harness.nodeUp(aNode("dup-1", "duplicate", 3));

        harness.jobServiceAsks(aDemand("dup-a", "duplicate"));
        harness.jobServiceAsks(aDemand("dup-a", "duplicate"));
        harness.jobServiceAsks(aDemand("dup-b", "duplicate"));

        // Demands of one target share a partition: once the last is placed, the repeated one was handled.
        harness.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("dup-b"));
        assertThat(harness.toJobs(WorkerPreparing.class)).filteredOn(e -> e.getJobId().equals("dup-a")).hasSize(1);
        assertThat(harness.toNodes(PrepareWorker.class)).filteredOn(c -> c.getJobId().equals("dup-a")).hasSize(1);
    }

    @Test
    void a_nodes_cgroups_and_warnings_show_on_get_nodes_until_a_later_heartbeat_says_none() throws Exception {
        String warning = "isolation is NONE (job processes run as plain host processes): runc not found at "
                + "/usr/sbin/runc; to isolate jobs, install runc (apt-get install runc)";
        var unisolated = NodeHeartbeat.newBuilder(aNode("report-1", "isolation-report", 1))
                .setWarnings(List.of(warning)).build();
        var isolated = NodeHeartbeat.newBuilder(aNode("report-2", "isolation-report", 1))
                .setIsolation(IsolationMode.RUNC).setCgroups("v2").build();
        harness.nodeUp(unisolated);
        harness.nodeUp(isolated);

        assertThat(nodeView("report-1")).extracting(NodeView::isolation, NodeView::cgroups, NodeView::warnings)
                .containsExactly("NONE", null, List.of(warning));
        assertThat(nodeView("report-2")).extracting(NodeView::isolation, NodeView::cgroups, NodeView::warnings)
                .containsExactly("RUNC", "v2", List.of());
        assertThat(harness.get("/nodes").body()).as("the JSON the cli reads")
                .contains("\"nodeId\":\"report-1\"",
                        "\"isolation\":\"NONE\",\"cgroups\":null,\"warnings\":[\"" + warning + "\"]")
                .contains("\"isolation\":\"RUNC\",\"cgroups\":\"v2\",\"warnings\":[]");

        harness.nodeUp(NodeHeartbeat.newBuilder(unisolated).setIsolation(IsolationMode.RUNC).setCgroups("hybrid")
                .setWarnings(List.of()).build());

        assertThat(nodeView("report-1")).as("the latest heartbeat's, not an accumulation")
                .extracting(NodeView::isolation, NodeView::cgroups, NodeView::warnings)
                .containsExactly("RUNC", "hybrid", List.of());
    }

    @Test
    void an_over_long_warning_and_too_many_warnings_are_kept_bounded() throws Exception {
        List<String> warnings = new ArrayList<>(List.of("x".repeat(100_000)));
        IntStream.range(1, 40).forEach(i -> warnings.add("warning " + i));
        harness.nodeUp(NodeHeartbeat.newBuilder(aNode("report-3", "isolation-report", 1)).setWarnings(warnings)
                .build());

        List<String> kept = nodeView("report-3").warnings();

        assertThat(kept).hasSize(NodeWarnings.MAX_WARNINGS);
        assertThat(kept.getFirst()).hasSize(NodeWarnings.MAX_WARNING_LENGTH).endsWith("… [cut at 1000 characters]");
        assertThat(kept.get(1)).isEqualTo("warning 1");
        assertThat(kept.getLast()).isEqualTo("… and 31 more warnings, left out (a node keeps at most 10)");
        assertThat(harness.queryOne("SELECT max(char_length(w)) FROM " + FactoryHarness.SCHEMA
                + ".node, unnest(warnings) w WHERE node_id = 'report-3'")).as("what the registry stores")
                .contains(String.valueOf(NodeWarnings.MAX_WARNING_LENGTH));
    }

    @Test
    void a_node_registered_before_the_registry_kept_warnings_shows_none_until_its_next_heartbeat() throws Exception {
        harness.nodeUp(NodeHeartbeat.newBuilder(aNode("report-4", "isolation-report", 1))
                .setIsolation(IsolationMode.RUNC).setCgroups("v1").setWarnings(List.of("a warning")).build());
        try (Connection connection = harness.scope.dataSource().getConnection();
             Statement update = connection.createStatement()) {
            // What V4 leaves in the rows it finds: no cgroups, no warnings.
            update.executeUpdate("UPDATE " + FactoryHarness.SCHEMA + ".node SET cgroups = NULL, warnings = NULL "
                    + "WHERE node_id = 'report-4'");
        }

        assertThat(nodeView("report-4")).extracting(NodeView::isolation, NodeView::cgroups, NodeView::warnings)
                .containsExactly("RUNC", null, List.of());
    }

    private NodeView nodeView(String nodeId) throws Exception {
        return harness.getJson("/nodes", Argument.listOf(NodeView.class)).stream()
                .filter(node -> node.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    private void releaseAndDestroy(String nodeId, String jobId, String target) throws Exception {
        harness.jobServiceAsks(aRelease(jobId, target));
        harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals(jobId + ".1"));
        harness.nodeReports(destroyed(nodeId, jobId + ".1"));
        harness.awaitToJobs(WorkerReleased.class, e -> e.getJobId().equals(jobId));
    }
}
