package io.sluice.jobs.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The targets jobs may ask for, with the privilege each requires (null for none). Resource types are not here: the
 * wells declare them on sluice.resource.types, and intake passes the declared ones in with each job.
 */
public record Catalogue(Map<String, Target> targets) {

    /** A kind of machine jobs run on, also known by its aliases. */
    public record Target(String name, String privilege, List<String> aliases) {
    }

    public Catalogue {
        targets = Map.copyOf(targets);
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
}
