package io.sluice.factory.domain;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The configured targets, found by name or alias; a name or alias belongs to one target only. */
public final class TargetCatalog {

    private final Map<String, Target> byName = new TreeMap<>();
    private final Map<String, Target> byNameOrAlias = new TreeMap<>();

    public TargetCatalog(Collection<Target> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target is configured (sluice.factory.targets.<name>)");
        }
        targets.forEach(target -> byName.put(target.name(), target));
        for (Target target : byName.values()) {
            claim(target.name(), target);
            target.aliases().forEach(alias -> claim(alias, target));
        }
    }

    private void claim(String name, Target target) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("target " + target.name() + " has a blank name or alias");
        }
        Target previous = byNameOrAlias.putIfAbsent(name, target);
        if (previous != null && previous != target) {
            throw new IllegalArgumentException("'" + name + "' names both target " + previous.name() + " and target "
                    + target.name() + "; a name or alias must belong to one target");
        }
    }

    /** The target a job or a node names, by its canonical name or one of its aliases. */
    public Optional<Target> resolve(String nameOrAlias) {
        return Optional.ofNullable(byNameOrAlias.get(nameOrAlias));
    }

    public List<Target> targets() {
        return List.copyOf(byName.values());
    }

    /** The canonical names of the targets a node says it serves; names the factory does not know stay as they are. */
    public Set<String> canonical(Collection<String> names) {
        Set<String> canonical = new LinkedHashSet<>();
        names.forEach(name -> canonical.add(resolve(name).map(Target::name).orElse(name)));
        return canonical;
    }

    /** Why a demand for {@code asked} cannot be met, naming the targets that exist. */
    public String unknownTargetReason(String asked) {
        return "unknown target '" + asked + "'; known targets: " + byName.values().stream()
                .map(TargetCatalog::describe).collect(Collectors.joining(", "));
    }

    private static String describe(Target target) {
        return target.aliases().isEmpty() ? target.name()
                : target.name() + " (aliases " + target.aliases().stream().sorted()
                        .collect(Collectors.joining(", ")) + ")";
    }
}
