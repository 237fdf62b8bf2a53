package io.sluice.well.edge;

import io.micronaut.context.annotation.Value;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.store.InstanceRepository;
import io.sluice.well.store.InstanceRow;
import io.sluice.well.store.TypeLock;
import io.sluice.well.store.provision.Provisioners;
import io.sluice.well.store.provision.postgres.PostgresDatabaseProvisioner;
import io.sluice.well.store.provision.postgres.PostgresProvisionedObjects;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes, per {@code postgres-database} type, every database and role of its prefix that no live instance owns:
 * what a crash between making and recording an instance, or an operator's hand, left behind. It runs under the
 * type's lock, so an instance being made in another transaction is never taken for a leftover.
 */
@Singleton
public final class RemoveLeftoverDatabasesTask implements PeriodicTask {

    private static final Logger LOG = LoggerFactory.getLogger(RemoveLeftoverDatabasesTask.class);
    private static final List<String> LIVE = List.of(InstanceState.PROVISIONING.name(), InstanceState.GRANTED.name(),
            InstanceState.RELEASING.name());

    private final WellTypes types;
    private final Provisioners provisioners;
    private final InstanceRepository instances;
    private final TypeLock typeLock;
    private final Duration interval;

    public RemoveLeftoverDatabasesTask(WellTypes types, Provisioners provisioners, InstanceRepository instances,
                                       TypeLock typeLock,
                                       @Value("${sluice.well.leftover-check-interval:10m}") Duration interval) {
        this.types = types;
        this.provisioners = provisioners;
        this.instances = instances;
        this.typeLock = typeLock;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "remove-leftover-databases";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        for (ResourceType type : types.all()) {
            if (provisioners.of(type.name()) instanceof PostgresDatabaseProvisioner databases) {
                context.inTransaction(tx -> {
                    typeLock.lock(tx.connection(), type.name());
                    removeLeftovers(type.name(), databases);
                    return null;
                });
            }
        }
    }

    private void removeLeftovers(String type, PostgresDatabaseProvisioner databases) throws Exception {
        Set<String> owned = instances.findByTypeAndStateInList(type, LIVE).stream().map(InstanceRow::instanceId)
                .map(databases::objectName).collect(Collectors.toSet());
        PostgresProvisionedObjects found = databases.listProvisioned();
        Set<String> leftovers = new TreeSet<>(found.databases());
        leftovers.addAll(found.roles());
        leftovers.removeAll(owned);
        for (String name : leftovers) {
            LOG.warn("{}: database or role {} belongs to no live instance: removing it", type, name);
            databases.removeNamed(name);
        }
    }
}
