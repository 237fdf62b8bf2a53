package io.sluice.factory.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sluice.factory.domain.Target;
import io.sluice.factory.domain.TargetCatalog;
import io.sluice.factory.store.NodeStore.NodeUsage;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** The factory's gauges: demands queued per target, and per node its workers, its slots and whether it is live. */
@Singleton
public final class FactoryMetrics {

    private final TargetCatalog targets;
    private final MultiGauge queued;
    private final MultiGauge nodeWorkers;
    private final MultiGauge nodeSlots;
    private final MultiGauge nodeLive;

    public FactoryMetrics(MeterRegistry registry, TargetCatalog targets) {
        this.targets = targets;
        this.queued = MultiGauge.builder("sluice.factory.demands.queued")
                .description("Worker demands waiting for a free slot, per target").register(registry);
        this.nodeWorkers = MultiGauge.builder("sluice.factory.node.workers")
                .description("Slots of a node the factory counts as used (its live workers and strays)")
                .register(registry);
        this.nodeSlots = MultiGauge.builder("sluice.factory.node.slots")
                .description("Slots a node says it has").register(registry);
        this.nodeLive = MultiGauge.builder("sluice.factory.node.live")
                .description("1 while a node is live, 0 once it is lost").register(registry);
        refresh(Map.of(), List.of());
    }

    /** Shows the given counts; every configured target appears, with 0 when nothing waits for it. */
    public void refresh(Map<String, Long> queuedPerTarget, List<NodeUsage> nodes) {
        queued.register(targets.targets().stream().map(Target::name)
                .map(name -> MultiGauge.Row.of(Tags.of("target", name), queuedPerTarget.getOrDefault(name, 0L)))
                .toList(), true);
        nodeWorkers.register(nodes.stream().map(usage -> MultiGauge.Row.of(tagsOf(usage), usage.slotsUsed()))
                .toList(), true);
        nodeSlots.register(nodes.stream().map(usage -> MultiGauge.Row.of(tagsOf(usage), usage.node().slotsTotal()))
                .toList(), true);
        nodeLive.register(nodes.stream().map(usage -> MultiGauge.Row.of(tagsOf(usage), usage.node().live() ? 1 : 0))
                .toList(), true);
    }

    private static Tags tagsOf(NodeUsage usage) {
        return Tags.of("node", usage.node().nodeId());
    }
}
