package io.sluice.jobs.config;

import io.micronaut.context.annotation.Factory;
import io.sluice.jobs.domain.Catalogue;
import io.sluice.jobs.domain.JobSpecValidator;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds intake's catalogue of targets and resource types from configuration. */
@Factory
public class IntakeFactory {

    @Singleton
    Catalogue catalogue(List<TargetProperties> targets, List<ResourceTypeProperties> resourceTypes) {
        return new Catalogue(
                targets.stream().map(t -> new Catalogue.Target(t.getName(), t.getPrivilege(), t.getAliases()))
                        .collect(Collectors.toMap(Catalogue.Target::name, Function.identity())),
                resourceTypes.stream().collect(Collectors.toMap(ResourceTypeProperties::getName,
                        ResourceTypeProperties::getPrivilege)));
    }

    @Singleton
    JobSpecValidator jobSpecValidator(Catalogue catalogue) {
        return new JobSpecValidator(catalogue);
    }
}
