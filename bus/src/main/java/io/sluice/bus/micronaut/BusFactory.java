package io.sluice.bus.micronaut;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.db.FrameworkTransactions;
import io.sluice.bus.db.Transactions;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSettings;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.PruneHandledEventsTask;
import io.sluice.schemas.TopicNaming;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/** Wires the plumbing into a Micronaut service: health, the clock, and the supervisor of its loops. */
@Factory
public class BusFactory {

    private static final String SERVICE_MIGRATIONS = "classpath:db/migration";

    @Singleton
    ServiceHealth serviceHealth() {
        return new ServiceHealth();
    }

    @Singleton
    @Requires(missingBeans = Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Requires(missingBeans = CrashPoints.class)
    CrashPoints crashPoints() {
        return CrashPoints.NONE;
    }

    @Singleton
    PruneHandledEventsTask pruneHandledEventsTask(SluiceConfiguration config) {
        SluiceConfiguration.RetentionConfiguration retention = config.getRetention();
        return new PruneHandledEventsTask(retention.getPruneInterval(), retention.getProcessedEvents(),
                retention.getPublishedOutbox());
    }

    @Singleton
    @Bean(preDestroy = "close")
    BusSupervisor busSupervisor(SluiceConfiguration config, ServiceHealth health,
                                BeanProvider<DataSource> dataSource,
                                @Nullable FrameworkTransactions framework, List<EventHandler<?>> handlers,
                                List<PeriodicTask> tasks,
                                CrashPoints crashPoints, MeterRegistry meterRegistry, Clock clock,
                                @Value("${datasources.default.url:}") String databaseUrl,
                                @Value("${datasources.default.schema:}") String databaseSchema) {
        // A service without a datasource schema (node-runner) has no database: it runs no outbox or transactional loop.
        String schema = databaseSchema.isBlank() ? null : databaseSchema;
        BusSettings settings = new BusSettings(
                config.getServiceName(),
                config.getInstanceId() != null ? config.getInstanceId() : defaultInstanceId(),
                config.getKafka().getBootstrapServers(),
                config.getKafka().getReplicationFactor(),
                new TopicNaming(config.getTopicPrefix()),
                schema,
                databaseUrl,
                schema == null ? null : SERVICE_MIGRATIONS,
                config.getRetryInterval(),
                config.getKafka().getProperties(),
                config.getKafka().isCreateTopics());
        if (schema == null) {
            return new BusSupervisor(settings, health, null, null, handlers, tasks, crashPoints, meterRegistry, clock);
        }
        // A service whose framework owns its transactions (Micronaut Data) declares a FrameworkTransactions bean:
        // the consumer loops and tasks then work in the framework's transactions, which its repositories join.
        if (framework != null) {
            return new BusSupervisor(settings, health, framework.pool(), new Transactions(framework), handlers, tasks,
                    crashPoints, meterRegistry, clock);
        }
        DataSource pool = dataSource.get();
        return new BusSupervisor(settings, health, pool, new Transactions(pool), handlers, tasks, crashPoints,
                meterRegistry, clock);
    }

    /** host:pid tells two instances of a service apart in the events they emit. */
    private static String defaultInstanceId() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }
}
