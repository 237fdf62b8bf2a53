package io.sluice.factory.edge;

import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.factory.config.FactorySettings;
import io.sluice.factory.publish.FactoryMetrics;
import io.sluice.factory.store.DemandStore;
import io.sluice.factory.store.NodeStore;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Every interval, reads the queue lengths and the nodes' usage into the factory's gauges. */
@Singleton
public final class RefreshFactoryMetricsTask implements PeriodicTask {

    private final DemandStore demandStore;
    private final NodeStore nodeStore;
    private final FactoryMetrics metrics;
    private final Duration interval;

    public RefreshFactoryMetricsTask(DemandStore demandStore, NodeStore nodeStore, FactoryMetrics metrics,
                                     FactorySettings settings) {
        this.demandStore = demandStore;
        this.nodeStore = nodeStore;
        this.metrics = metrics;
        this.interval = settings.metricsInterval();
    }

    @Override
    public String name() {
        return "refresh-factory-metrics";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        context.inTransaction(transaction -> {
            metrics.refresh(demandStore.queuedPerTarget(transaction.connection()),
                    nodeStore.allWithUsage(transaction.connection()));
            return null;
        });
    }
}
