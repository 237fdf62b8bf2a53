package io.sluice.factory;

import static io.sluice.factory.FactoryFixtures.aDemand;
import static io.sluice.factory.FactoryFixtures.aNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Two factory instances place demands on the same nodes at once and never book more slots than a node has. */
class TwoFactoriesTest {

    private static final int NODES = 6;
    private static final int DEMANDS_PER_TARGET = 12;

    @Test
    void two_instances_placing_at_once_never_overbook_a_node() throws Exception {
        Map<Integer, String> targets = namesOnEveryPartition("shared");
        Map<Integer, String> probes = namesOnEveryPartition("probe");
        Map<String, Object> settings = new HashMap<>(Map.of("sluice.factory.node-lost-after", "2m"));
        targets.values().forEach(target -> settings.put("sluice.factory.targets." + target + ".description", target));
        try (FactoryHarness harness = new FactoryHarness("two-factories")) {
            harness.startFactory(with(settings, "one")).startFactory(with(settings, "two"));
            awaitBothInstancesAnswering(harness, probes.values());
            // One slot per node: two instances that both saw a node free would both choose it (least loaded, by id).
            for (int n = 1; n <= NODES; n++) {
                harness.nodeUp(NodeHeartbeat.newBuilder(aNode("node-" + n, "unused", 1))
                        .setTargets(List.copyOf(targets.values())).build());
            }

            List<WorkerDemanded> demands = IntStream.range(0, DEMANDS_PER_TARGET).boxed()
                    .flatMap(i -> targets.values().stream().map(target -> aDemand(target + "-job-" + i, target)))
                    .toList();
            harness.jobServiceAsksAll(demands);

            // every demand stored and every event it caused published: what is on the topic now is all there is
            await().atMost(FactoryHarness.DEADLINE).until(() -> harness.query("SELECT job_id FROM "
                    + "worker_factory.demand WHERE target IS NOT NULL").size() == demands.size() && harness.query(
                    "SELECT id FROM worker_factory.bus_outbox WHERE published_at IS NULL").isEmpty());
            List<PrepareWorker> placed = harness.toNodes(PrepareWorker.class);
            assertThat(placed).as("%s nodes with one slot each", NODES).hasSize(NODES)
                    .extracting(PrepareWorker::getNodeId).doesNotHaveDuplicates();
            assertThat(placed).extracting(PrepareWorker::getWorkerId).doesNotHaveDuplicates();
            assertThat(harness.query("SELECT worker_id FROM worker_factory.worker")).hasSize(NODES);
        }
    }

    /** Probes each partition with demands for unknown targets until both instances have answered some. */
    private static void awaitBothInstancesAnswering(FactoryHarness harness, Collection<String> probes) {
        AtomicInteger round = new AtomicInteger();
        await().atMost(FactoryHarness.DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> {
            int r = round.incrementAndGet();
            harness.jobServiceAsksAll(probes.stream().map(probe -> aDemand("probe-" + r + "-" + probe, probe)).toList());
            Set<String> answering = harness.workerEvents().stream()
                    .filter(envelope -> envelope.getPayload() instanceof WorkerFailed)
                    .map(envelope -> Envelopes.metadataOf(envelope).getProducer()).collect(Collectors.toSet());
            return answering.containsAll(Set.of("worker-factory/one", "worker-factory/two"));
        });
    }

    /** One name per partition of the demands topic, so each instance of the group gets some of them. */
    private static Map<Integer, String> namesOnEveryPartition(String prefix) {
        Map<Integer, String> names = new LinkedHashMap<>();
        for (int i = 0; names.size() < Topic.WORKER_DEMANDS.partitions(); i++) {
            String name = prefix + "-" + i;
            names.putIfAbsent(Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8)))
                    % Topic.WORKER_DEMANDS.partitions(), name);
        }
        return names;
    }

    private static Map<String, Object> with(Map<String, Object> settings, String instanceId) {
        Map<String, Object> instance = new HashMap<>(settings);
        instance.put("sluice.instance-id", instanceId);
        return instance;
    }
}
