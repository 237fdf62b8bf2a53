package io.sluice.jobs.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The targets and resource types jobs may ask for, with the privilege each requires (null for none). */
public record Catalogue(Map<String, Target> targets, Map<String, String> resourceTypePrivileges) {

    /** A kind of machine jobs run on, also known by its aliases. */
    public record Target(String name, String privilege, List<String> aliases) {
    }

    public Catalogue {
        targets = Map.copyOf(targets);
        resourceTypePrivileges = Map.copyOf(resourceTypePrivileges);
    }

    /** The target a job's target name or alias means. */
    public Optional<Target> target(String nameOrAlias) {
        Target byName = targets.get(nameOrAlias);
        if (byName != null) {
            return Optional.of(byName);
        }
        return targets.values().stream().filter(t -> t.aliases().contains(nameOrAlias)).findFirst();
    }

    public List<String> targetNames() {
        return new TreeMap<>(targets).keySet().stream().toList();
    }

    public boolean knowsResourceType(String type) {
        return resourceTypePrivileges.containsKey(type);
    }
}
