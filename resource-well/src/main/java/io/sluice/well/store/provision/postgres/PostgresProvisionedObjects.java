package io.sluice.well.store.provision.postgres;

import java.util.Set;

/** The databases and login roles on a server whose names carry a {@code postgres-database} provisioner's prefix. */
public record PostgresProvisionedObjects(Set<String> databases, Set<String> roles) {

    public PostgresProvisionedObjects {
        databases = Set.copyOf(databases);
        roles = Set.copyOf(roles);
    }

    /** Whether nothing of the given database-and-role name is on the server. */
    public boolean lacks(String name) {
        return !databases.contains(name) && !roles.contains(name);
    }
}
