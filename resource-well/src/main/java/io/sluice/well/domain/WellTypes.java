package io.sluice.well.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The resource types this well serves, by name. */
public final class WellTypes {

    private final Map<String, ResourceType> byName;

    public WellTypes(Collection<ResourceType> types) {
        Map<String, ResourceType> map = new TreeMap<>();
        types.forEach(type -> map.put(type.name(), type));
        this.byName = Map.copyOf(map);
    }

    public Optional<ResourceType> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<ResourceType> all() {
        return new TreeMap<>(byName).values();
    }

    /** Why a demand for {@code name} cannot be served, for its job to show. */
    public String unknownTypeReason(String name) {
        return "this resource well does not serve type '" + name + "'; it serves "
                + (byName.isEmpty() ? "none" : String.join(", ", new TreeMap<>(byName).keySet()));
    }
}
