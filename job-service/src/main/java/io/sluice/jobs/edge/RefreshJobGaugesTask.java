package io.sluice.jobs.edge;

import io.micronaut.context.annotation.Value;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.jobs.publish.metrics.JobMetrics;
import io.sluice.jobs.store.projection.JobMetricsReader;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts the live jobs per target and state in the projection for the gauges, every interval (one grouped query on
 * the state index), so that a scrape reads numbers already there and never queries the database itself.
 */
@Singleton
public final class RefreshJobGaugesTask implements PeriodicTask {

    private final JobMetricsReader reader;
    private final JobMetrics metrics;
    private final Duration interval;

    public RefreshJobGaugesTask(JobMetricsReader reader, JobMetrics metrics,
                                @Value("${sluice.jobs.gauge-refresh-interval:5s}") Duration interval) {
        this.reader = reader;
        this.metrics = metrics;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "refresh-job-gauges";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        Instant now = context.now();
        metrics.refresh(context.inTransaction(tx -> reader.liveJobs(tx.connection())), now);
    }
}
