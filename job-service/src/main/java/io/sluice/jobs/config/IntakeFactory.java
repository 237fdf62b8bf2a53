package io.sluice.jobs.config;

import io.micronaut.context.annotation.Factory;
import io.sluice.jobs.domain.Catalogue;
import io.sluice.jobs.domain.JobSpecValidator;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds intake's catalogue of targets and its limits from configuration (resource types are the wells' to
 * declare).
 */
@Factory
public class IntakeFactory {

    @Singleton
    Catalogue catalogue(List<TargetProperties> targets) {
        return new Catalogue(
                targets.stream().map(t -> new Catalogue.Target(t.getName(), t.getPrivilege(), t.getAliases()))
                        .collect(Collectors.toMap(Catalogue.Target::name, Function.identity())));
    }

    @Singleton
    JobSpecValidator jobSpecValidator(Catalogue catalogue, SpecLimitsProperties limits) {
        return new JobSpecValidator(catalogue, limits.limits());
    }
}
