package io.sluice.factory.domain;

import java.util.Set;

/** A kind of machine jobs run on, as configured: its canonical name, what it is, who may use it, its other names. */
public record Target(String name, String description, String requiredPrivilege, Set<String> aliases) {

    public Target {
        aliases = Set.copyOf(aliases);
    }
}
