package io.sluice.factory;

import static io.sluice.factory.Fixtures.aDemand;
import static io.sluice.factory.Fixtures.aFullDemand;
import static io.sluice.factory.Fixtures.aNode;
import static io.sluice.factory.Fixtures.aRelease;
import static io.sluice.factory.Fixtures.aWithdrawal;
import static io.sluice.factory.Fixtures.destroyed;
import static io.sluice.factory.Fixtures.draining;
import static io.sluice.factory.Fixtures.hosting;
import static io.sluice.factory.Fixtures.prepareFailed;
import static io.sluice.factory.Fixtures.prepared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The factory as job-service and node runners see it: placement, queues, releases, withdrawals, draining,
 * reconciliation and failed preparations. One factory serves the class; each test has its own target and nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementAndLifecycleTest {

    private FactoryBench bench;

    @BeforeAll
    void startFactory() throws Exception {
        bench = new FactoryBench("factory-lifecycle").startFactory(Map.ofEntries(
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
                Map.entry("sluice.factory.targets.duplicate.description", "duplicate")));
    }

    @AfterAll
    void stopFactory() throws Exception {
        bench.close();
    }

    @Test
    void a_demand_goes_to_the_least_loaded_node_serving_its_target_and_is_assigned_once_prepared() throws Exception {
        bench.nodeUp(aNode("place-1", "placement", 2));
        bench.nodeUp(aNode("place-2", "placement", 2));

        bench.jobServiceAsks(aFullDemand("job-a", "placement"));
        WorkerPreparing first = bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("job-a"));
        bench.jobServiceAsks(aDemand("job-b", "placement"));
        WorkerPreparing second = bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("job-b"));

        assertThat(first.getNodeId()).as("equally loaded nodes: the first by id").isEqualTo("place-1");
        assertThat(first.getWorkerId()).isEqualTo("job-a.1");
        assertThat(second.getNodeId()).as("the least loaded node").isEqualTo("place-2");
        PrepareWorker prepare = bench.awaitToNodes(PrepareWorker.class, c -> c.getWorkerId().equals("job-a.1"));
        WorkerDemanded demanded = aFullDemand("job-a", "placement");
        assertThat(prepare.getNodeId()).isEqualTo("place-1");
        assertThat(prepare.getTarget()).isEqualTo("placement");
        assertThat(prepare.getOwner()).isEqualTo(demanded.getOwner());
        assertThat(prepare.getInputs()).isEqualTo(demanded.getInputs());
        assertThat(prepare.getResources()).isEqualTo(demanded.getResources());
        assertThat(prepare.getPersistentStore()).isEqualTo("cache");
        assertThat(bench.commandKeysFor("job-a.1")).as("commands are keyed by node id").containsOnly("place-1");

        bench.nodeReports(prepared("place-1", "job-a"));

        WorkerAssigned assigned = bench.awaitToJobs(WorkerAssigned.class, e -> e.getJobId().equals("job-a"));
        assertThat(assigned.getWorkerId()).isEqualTo("job-a.1");
        assertThat(assigned.getNodeId()).isEqualTo("place-1");
        assertThat(bench.get("/nodes").body())
                .contains("{\"nodeId\":\"place-1\",\"hostname\":\"place-1.example\",\"targets\":[\"placement\"],"
                        + "\"slotsTotal\":2,\"slotsUsed\":1,\"draining\":false,\"lost\":false");
        assertThat(bench.get("/workers").body())
                .contains("{\"workerId\":\"job-a.1\",\"jobId\":\"job-a\",\"attempt\":1,\"target\":\"placement\","
                        + "\"nodeId\":\"place-1\",\"state\":\"ASSIGNED\"");
    }

    @Test
    void with_one_slot_demands_wait_in_fifo_order_and_each_release_gives_the_slot_to_the_next() throws Exception {
        bench.nodeUp(aNode("fifo-1", "fifo", 1));

        bench.jobServiceAsks(aDemand("fifo-a", "fifo"));
        bench.jobServiceAsks(aDemand("fifo-b", "fifo"));
        bench.jobServiceAsks(aDemand("fifo-c", "fifo"));

        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fifo-a"));
        bench.awaitDemandState("fifo-c", "QUEUED");
        assertThat(bench.demandState("fifo-b")).isEqualTo("QUEUED");
        await().atMost(FactoryBench.DEADLINE).untilAsserted(() -> assertThat(bench.get("/prometheus").body())
                .containsPattern("sluice_factory_demands_queued\\{target=\"fifo\"} 2\\.0"));

        releaseAndDestroy("fifo-1", "fifo-a", "fifo");
        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fifo-b"));
        assertThat(bench.demandState("fifo-c")).isEqualTo("QUEUED");

        releaseAndDestroy("fifo-1", "fifo-b", "fifo");
        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("fifo-c"));

        assertThat(bench.toNodes(PrepareWorker.class)).filteredOn(c -> c.getNodeId().equals("fifo-1"))
                .extracting(PrepareWorker::getWorkerId).containsExactly("fifo-a.1", "fifo-b.1", "fifo-c.1");
    }

    @Test
    void a_withdrawn_queued_demand_is_dropped_and_answered_with_worker_failed() throws Exception {
        bench.nodeUp(aNode("withdraw-1", "withdraw-queued", 1));
        bench.jobServiceAsks(aDemand("wq-a", "withdraw-queued"));
        bench.jobServiceAsks(aDemand("wq-b", "withdraw-queued"));
        bench.awaitDemandState("wq-b", "QUEUED");

        bench.jobServiceAsks(aWithdrawal("wq-b", "withdraw-queued"));

        WorkerFailed failed = bench.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("wq-b"));
        assertThat(failed.getReason()).isEqualTo("demand withdrawn");
        assertThat(failed.getWorkerId()).isNull();
        assertThat(failed.getNodeId()).isNull();
        releaseAndDestroy("withdraw-1", "wq-a", "withdraw-queued");
        assertThat(bench.demandState("wq-b")).isEqualTo("WITHDRAWN");
        assertThat(bench.query("SELECT worker_id FROM worker_factory.worker WHERE job_id = 'wq-b'"))
                .as("the freed slot went to no withdrawn demand").isEmpty();
    }

    @Test
    void a_withdrawn_placed_demand_destroys_its_worker_and_is_answered_with_worker_released() throws Exception {
        bench.nodeUp(aNode("withdraw-2", "withdraw-placed", 1));
        bench.jobServiceAsks(aDemand("wp-a", "withdraw-placed"));
        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("wp-a"));

        bench.jobServiceAsks(aWithdrawal("wp-a", "withdraw-placed"));

        DestroyWorker destroy = bench.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("wp-a.1"));
        assertThat(destroy.getNodeId()).isEqualTo("withdraw-2");
        assertThat(destroy.getReason()).isEqualTo("demand withdrawn: cancelled by alice");
        bench.nodeReports(destroyed("withdraw-2", "wp-a.1"));
        WorkerReleased released = bench.awaitToJobs(WorkerReleased.class, e -> e.getJobId().equals("wp-a"));
        assertThat(released.getWorkerId()).isEqualTo("wp-a.1");
        assertThat(bench.toJobs(WorkerFailed.class)).noneMatch(e -> e.getJobId().equals("wp-a"));
    }

    @Test
    void a_draining_node_gets_no_new_workers_until_it_stops_draining() throws Exception {
        var idle = aNode("drain-1", "drain", 2);
        bench.nodeUp(draining(idle));
        bench.nodeUp(aNode("drain-2", "drain", 1));

        bench.jobServiceAsks(aDemand("dr-a", "drain"));
        bench.jobServiceAsks(aDemand("dr-b", "drain"));

        assertThat(bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("dr-a")).getNodeId())
                .as("the emptier node drains").isEqualTo("drain-2");
        bench.awaitDemandState("dr-b", "QUEUED");
        bench.nodeUp(idle);
        assertThat(bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("dr-b")).getNodeId())
                .isEqualTo("drain-1");
    }

    @Test
    void a_node_hosting_a_worker_the_factory_does_not_know_destroys_it_once_and_its_slot_waits_for_that()
            throws Exception {
        var node = aNode("recon-1", "reconcile", 1);
        bench.nodeUp(hosting(node, "ghost.1"));

        DestroyWorker destroy = bench.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("ghost.1"));
        assertThat(destroy.getNodeId()).isEqualTo("recon-1");
        assertThat(destroy.getJobId()).isEqualTo("ghost");
        assertThat(destroy.getReason()).isEqualTo("worker ghost.1 is unknown to the factory");
        bench.jobServiceAsks(aDemand("rc-a", "reconcile"));
        bench.awaitDemandState("rc-a", "QUEUED");
        Instant again = bench.heartbeat(hosting(node, "ghost.1"));
        bench.awaitHeartbeatApplied("recon-1", again);
        assertThat(bench.toNodes(DestroyWorker.class)).filteredOn(c -> c.getWorkerId().equals("ghost.1"))
                .as("told once, not on every heartbeat").hasSize(1);

        bench.nodeReports(destroyed("recon-1", "ghost.1"));

        assertThat(bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("rc-a")).getNodeId())
                .isEqualTo("recon-1");
        Instant withItsWorker = bench.heartbeat(hosting(node, "rc-a.1"));
        bench.awaitHeartbeatApplied("recon-1", withItsWorker);
        assertThat(bench.toNodes(DestroyWorker.class)).noneMatch(c -> c.getWorkerId().equals("rc-a.1"));
    }

    @Test
    void a_failed_preparation_fails_the_worker_with_the_node_reason_and_frees_its_slot_once_destroyed()
            throws Exception {
        bench.nodeUp(aNode("fail-1", "prepare-fail", 1));
        bench.jobServiceAsks(aDemand("pf-a", "prepare-fail"));
        bench.jobServiceAsks(aDemand("pf-b", "prepare-fail"));
        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("pf-a"));
        bench.awaitDemandState("pf-b", "QUEUED");

        bench.nodeReports(prepareFailed("fail-1", "pf-a", "input bin/tool: sha256 mismatch"));

        WorkerFailed failed = bench.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("pf-a"));
        assertThat(failed.getReason()).isEqualTo("input bin/tool: sha256 mismatch");
        assertThat(failed.getWorkerId()).isEqualTo("pf-a.1");
        assertThat(failed.getNodeId()).isEqualTo("fail-1");
        bench.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals("pf-a.1"));
        assertThat(bench.demandState("pf-b")).as("the slot is held until the node cleaned up").isEqualTo("QUEUED");

        bench.nodeReports(destroyed("fail-1", "pf-a.1"));

        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("pf-b"));
        assertThat(bench.toJobs(WorkerReleased.class)).noneMatch(e -> e.getJobId().equals("pf-a"));
    }

    @Test
    void an_alias_reaches_its_target_and_an_unknown_target_fails_naming_the_known_ones() throws Exception {
        bench.nodeUp(aNode("alias-1", "ubuntu", 1));

        bench.jobServiceAsks(aDemand("al-a", "debian"));
        bench.jobServiceAsks(aDemand("al-b", "solaris"));

        WorkerPreparing preparing = bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("al-a"));
        assertThat(preparing.getNodeId()).isEqualTo("alias-1");
        assertThat(preparing.getTarget()).isEqualTo("linux");
        WorkerFailed failed = bench.awaitToJobs(WorkerFailed.class, e -> e.getJobId().equals("al-b"));
        assertThat(failed.getReason()).startsWith("unknown target 'solaris'; known targets: ")
                .contains("linux (aliases debian, ubuntu)", "fifo");
        assertThat(failed.getWorkerId()).isNull();
    }

    @Test
    void a_repeated_demand_places_nothing_more() throws Exception {
        bench.nodeUp(aNode("dup-1", "duplicate", 3));

        bench.jobServiceAsks(aDemand("dup-a", "duplicate"));
        bench.jobServiceAsks(aDemand("dup-a", "duplicate"));
        bench.jobServiceAsks(aDemand("dup-b", "duplicate"));

        // Demands of one target share a partition: once the last is placed, the repeated one was handled.
        bench.awaitToJobs(WorkerPreparing.class, e -> e.getJobId().equals("dup-b"));
        assertThat(bench.toJobs(WorkerPreparing.class)).filteredOn(e -> e.getJobId().equals("dup-a")).hasSize(1);
        assertThat(bench.toNodes(PrepareWorker.class)).filteredOn(c -> c.getJobId().equals("dup-a")).hasSize(1);
    }

    private void releaseAndDestroy(String nodeId, String jobId, String target) throws Exception {
        bench.jobServiceAsks(aRelease(jobId, target));
        bench.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals(jobId + ".1"));
        bench.nodeReports(destroyed(nodeId, jobId + ".1"));
        bench.awaitToJobs(WorkerReleased.class, e -> e.getJobId().equals(jobId));
    }
}
