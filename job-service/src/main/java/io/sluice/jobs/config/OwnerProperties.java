package io.sluice.jobs.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.List;

/**
 * An owner as the operator registers it: the privileges it holds ({@code sluice.jobs.owners.<owner>.privileges},
 * stored in PostgreSQL at start) and the public keys its requests are signed with ({@code .public-keys}).
 */
@EachProperty("sluice.jobs.owners")
public final class OwnerProperties {

    private final String owner;
    private List<String> privileges = List.of();
    private List<String> publicKeys = List.of();

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

    public List<String> getPublicKeys() {
        return publicKeys;
    }

    public void setPublicKeys(List<String> publicKeys) {
        this.publicKeys = List.copyOf(publicKeys);
    }
}
