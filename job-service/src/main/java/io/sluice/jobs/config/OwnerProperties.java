package io.sluice.jobs.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.List;

/** The privileges an owner holds ({@code sluice.jobs.owners.<owner>.privileges}); stored in PostgreSQL at start. */
@EachProperty("sluice.jobs.owners")
public final class OwnerProperties {

    private final String owner;
    private List<String> privileges = List.of();

    public OwnerProperties(@Parameter String owner) {
        this.owner = owner;
    }

    public String getOwner() {
        return owner;
    }

    public List<String> getPrivileges() {
        return privileges;
    }

    public void setPrivileges(List<String> privileges) {
        this.privileges = List.copyOf(privileges);
    }
}
