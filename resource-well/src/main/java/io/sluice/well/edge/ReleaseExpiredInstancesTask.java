package io.sluice.well.edge;

import io.micronaut.context.annotation.Value;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.well.domain.InstanceLifecycle;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.store.InstanceRepository;
import io.sluice.well.store.InstanceRow;
import io.sluice.well.store.TypeLock;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Releases, each in a transaction of its own, the granted instances that outlived their type's maximum lifetime. */
@Singleton
public final class ReleaseExpiredInstancesTask implements PeriodicTask {

    private final InstanceRepository instances;
    private final ApplyInstanceChanges changes;
    private final TypeLock typeLock;
    private final Duration interval;

    public ReleaseExpiredInstancesTask(InstanceRepository instances, ApplyInstanceChanges changes, TypeLock typeLock,
                                       @Value("${sluice.well.expiry-check-interval:5s}") Duration interval) {
        this.instances = instances;
        this.changes = changes;
        this.typeLock = typeLock;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "release-expired-instances";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        Instant now = context.now();
        List<InstanceRow> expired = context.inTransaction(tx -> instances
                .findByStateAndExpiresAtLessThanEqualsOrderByExpiresAt(InstanceState.GRANTED.name(), now));
        for (InstanceRow row : expired) {
            context.inTransaction(tx -> {
                typeLock.lock(tx.connection(), row.type());
                return changes.apply(tx, row.instanceId(), instance -> InstanceLifecycle.expiredAt(instance, now),
                        now);
            });
        }
    }
}
