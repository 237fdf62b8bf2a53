package io.sluice.factory.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.sluice.factory.domain.Target;
import io.sluice.factory.domain.TargetCatalog;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/** Builds the target catalogue from `sluice.factory.targets`; without any, one target `linux`, as node runners serve by default. */
@Factory
public class TargetCatalogFactory {

    static final Target DEFAULT = new Target("linux", "Linux hosts running a node runner", null, Set.of());

    @Singleton
    TargetCatalog targetCatalog(List<TargetSettings> configured) {
        if (configured.isEmpty()) {
            return new TargetCatalog(List.of(DEFAULT));
        }
        try {
            return new TargetCatalog(configured.stream().map(TargetCatalogFactory::target).toList());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.factory.targets: " + e.getMessage());
        }
    }

    private static Target target(TargetSettings settings) {
        return new Target(settings.name(), settings.description() == null ? "" : settings.description(),
                settings.requiredPrivilege(), settings.aliases() == null ? Set.of() : Set.copyOf(settings.aliases()));
    }
}
