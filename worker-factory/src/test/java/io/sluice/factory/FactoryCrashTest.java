package io.sluice.factory;

import static io.sluice.factory.FactoryFixtures.aDemand;
import static io.sluice.factory.FactoryFixtures.aNode;
import static io.sluice.factory.FactoryFixtures.aRelease;
import static io.sluice.factory.FactoryFixtures.destroyed;
import static io.sluice.factory.FactoryFixtures.prepared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.CrashPoint;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.schemas.Envelopes;
import io.sluice.testing.ChildJvm;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecordBase;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the factory (halt, as kill -9) inside a placement transaction while demands stream in, starts it again, and
 * counts on the wire: every demand placed exactly once, no node above its slots, and the state it kept still right.
 */
class FactoryCrashTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int SLOTS = 4;
    private static final List<String> NODES = List.of("crash-1", "crash-2", "crash-3");
    private static final int DEMANDS = 16;
    private static final int CRASH_ON_HIT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(FactoryCrashTest.class);

    @Test
    void a_factory_killed_while_placing_loses_no_worker_and_places_none_twice() throws Exception {
        try (FactoryHarness harness = new FactoryHarness("factory-crash")) {
            for (String node : NODES) {
                harness.heartbeat(aNode(node, "linux", SLOTS));
            }
            ChildJvm crashing = ChildJvm.start("factory-crashing", FactoryProcess.class,
                    FactoryProcess.args(harness, CrashPoint.CONSUMED_BEFORE_DB_COMMIT.name(), CRASH_ON_HIT));
            // The heartbeats are applied (and committed) before any demand arrives, so the crash, at the tenth event
            // applied, comes among the demands however the two topics' loops interleave and batch their events.
            await().atMost(DEADLINE).ignoreExceptions().until(() ->
                    harness.query("SELECT node_id FROM worker_factory.node").size() == NODES.size());
            List<String> jobs = IntStream.range(0, DEMANDS).mapToObj(i -> String.format("job-%02d", i)).toList();
            for (String job : jobs) {
                harness.jobServiceAsks(aDemand(job, "linux"));
            }
            assertThat(crashing.awaitExit(DEADLINE)).as("the factory halts mid-stream; its output:%n%s",
                    crashing.output()).isEqualTo(FactoryProcess.CRASH_EXIT_CODE);
            int applied = harness.query("SELECT consumer FROM worker_factory.bus_processed_event").size();
            assertThat(applied).as("the crash came mid-stream").isPositive().isLessThan(NODES.size() + DEMANDS);
            LOG.info("the factory halted after {} applied events, with {} workers placed and {} PrepareWorker sent",
                    applied, harness.query("SELECT worker_id FROM worker_factory.worker").size(),
                    harness.toNodes(PrepareWorker.class).size());

            ChildJvm recovered = ChildJvm.start("factory-recovered", FactoryProcess.class,
                    FactoryProcess.args(harness, "NONE", 0));
            try {
                int capacity = NODES.size() * SLOTS;
                awaitPlacedWorkers(harness, capacity, recovered);
                await().atMost(DEADLINE).until(() -> harness.query("SELECT job_id FROM worker_factory.demand "
                        + "WHERE state = 'QUEUED'").size() == DEMANDS - capacity);
                assertPlacedExactlyOnce(harness, capacity);

                // The state survived the crash: freeing four slots places the four queued demands, and no more.
                List<PrepareWorker> onFirstNode = placements(harness).values().stream()
                        .filter(p -> p.getNodeId().equals("crash-1")).toList();
                for (PrepareWorker worker : onFirstNode) {
                    harness.jobServiceAsks(aRelease(worker.getJobId(), "linux"));
                }
                for (PrepareWorker worker : onFirstNode) {
                    harness.awaitToNodes(DestroyWorker.class, c -> c.getWorkerId().equals(worker.getWorkerId()));
                    harness.nodeReports(destroyed("crash-1", worker.getWorkerId()));
                }
                awaitPlacedWorkers(harness, DEMANDS, recovered);
                assertPlacedExactlyOnce(harness, DEMANDS);
                Map<String, Long> perNode = placements(harness).values().stream()
                        .collect(Collectors.groupingBy(PrepareWorker::getNodeId, Collectors.counting()));
                assertThat(perNode).as("no node above its slots (crash-1 freed %s)", onFirstNode.size())
                        .containsEntry("crash-1", (long) SLOTS + onFirstNode.size())
                        .containsEntry("crash-2", (long) SLOTS).containsEntry("crash-3", (long) SLOTS);

                List<PrepareWorker> live = placements(harness).values().stream()
                        .filter(p -> onFirstNode.stream().noneMatch(freed -> freed.getWorkerId().equals(p.getWorkerId())))
                        .toList();
                for (PrepareWorker worker : live) {
                    harness.nodeReports(prepared(worker.getNodeId(), worker.getJobId()));
                }
                await().atMost(DEADLINE).until(() -> distinctByEventId(harness.workerEvents(), WorkerAssigned.class)
                        .size() == live.size());
                assertThat(distinctByEventId(harness.workerEvents(), WorkerAssigned.class))
                        .extracting(WorkerAssigned::getWorkerId).doesNotHaveDuplicates();
            } finally {
                assertThat(recovered.stop(Duration.ofSeconds(30))).as(recovered.output()).isEqualTo(143);
            }
            assertThat(recovered.output()).contains("STOPPED CLEANLY");
        }
    }

    private static void awaitPlacedWorkers(FactoryHarness harness, int count, ChildJvm factory) throws Exception {
        try {
            await().atMost(DEADLINE).until(() -> placements(harness).size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fewer than " + count + " workers placed; the factory's output:\n"
                    + factory.output(), e);
        }
    }

    /** One PrepareWorker and one WorkerPreparing per worker, once the relay's re-sends (same event id) are set aside. */
    private static void assertPlacedExactlyOnce(FactoryHarness harness, int count) {
        List<PrepareWorker> commands = distinctByEventId(harness.nodeCommands(), PrepareWorker.class);
        List<WorkerPreparing> preparing = distinctByEventId(harness.workerEvents(), WorkerPreparing.class);
        assertThat(commands).hasSize(count).extracting(PrepareWorker::getWorkerId).doesNotHaveDuplicates();
        assertThat(preparing).hasSize(count).extracting(WorkerPreparing::getWorkerId).doesNotHaveDuplicates();
        assertThat(preparing).allMatch(p -> commands.stream().anyMatch(c -> c.getWorkerId().equals(p.getWorkerId())
                && c.getNodeId().equals(p.getNodeId())), "job and node are told the same node");
    }

    private static Map<String, PrepareWorker> placements(FactoryHarness harness) {
        return distinctByEventId(harness.nodeCommands(), PrepareWorker.class).stream()
                .collect(Collectors.toMap(PrepareWorker::getWorkerId, Function.identity(), (a, b) -> a));
    }

    private static <T> List<T> distinctByEventId(List<? extends SpecificRecordBase> envelopes, Class<T> type) {
        Collection<? extends SpecificRecordBase> unique = envelopes.stream().collect(Collectors.toMap(
                e -> Envelopes.metadataOf(e).getEventId(), Function.identity(), (a, b) -> a,
                LinkedHashMap::new)).values();
        return FactoryHarness.payloads(List.copyOf(unique), type);
    }
}
