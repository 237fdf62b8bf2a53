package io.sluice.jobs.config;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.jobs.store.PrivilegeStore;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Once the schema is migrated, makes the owner_privilege table hold exactly the configured privileges. */
@Singleton
public final class SeedOwnerPrivileges implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SeedOwnerPrivileges.class);

    private final BusSupervisor bus;
    private final PrivilegeStore privileges;
    private final List<OwnerProperties> owners;

    public SeedOwnerPrivileges(BusSupervisor bus, PrivilegeStore privileges, List<OwnerProperties> owners) {
        this.bus = bus;
        this.privileges = privileges;
        this.owners = owners;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        bus.whenRunning(() -> {
            try {
                bus.runtime().transactions().inTransaction(connection -> {
                    privileges.replaceAll(connection, owners.stream().collect(Collectors.toMap(
                            OwnerProperties::getOwner, o -> Set.copyOf(o.getPrivileges()))));
                    return null;
                });
                LOG.info("privileges of {} owner(s) stored", owners.size());
            } catch (Exception e) {
                LOG.error("cannot store the owners' privileges", e);
            }
        });
    }
}
