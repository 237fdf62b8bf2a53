package io.sluice.well.edge;

import io.micronaut.context.annotation.Value;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.publish.WellMetrics;
import io.sluice.well.store.DemandRepository;
import io.sluice.well.store.DemandRow;
import io.sluice.well.store.InstanceRepository;
import io.sluice.well.store.InstanceRow;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every interval, reads the instances in use and the demands waiting into the well's gauges. */
@Singleton
public final class RefreshWellMetricsTask implements PeriodicTask {

    private static final List<String> LIVE = List.of(InstanceState.PROVISIONING.name(), InstanceState.GRANTED.name(),
            InstanceState.RELEASING.name());

    private final WellTypes types;
    private final InstanceRepository instances;
    private final DemandRepository demands;
    private final WellMetrics metrics;
    private final Duration interval;

    public RefreshWellMetricsTask(WellTypes types, InstanceRepository instances, DemandRepository demands,
                                  WellMetrics metrics,
                                  @Value("${sluice.well.metrics-interval:5s}") Duration interval) {
        this.types = types;
        this.instances = instances;
        this.demands = demands;
        this.metrics = metrics;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "refresh-well-metrics";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        context.inTransaction(tx -> {
            Map<String, Map<InstanceState, Long>> inUse = new HashMap<>();
            for (InstanceRow row : instances.findByStateInListOrderByType(LIVE)) {
                inUse.computeIfAbsent(row.type(), type -> new EnumMap<>(InstanceState.class))
                        .merge(InstanceState.valueOf(row.state()), 1L, Long::sum);
            }
            Map<String, Long> queued = new HashMap<>();
            for (ResourceType type : types.all()) {
                queued.put(type.name(), demands.countByTypeAndState(type.name(), DemandRow.QUEUED));
            }
            metrics.refresh(inUse, queued);
            return null;
        });
    }
}
