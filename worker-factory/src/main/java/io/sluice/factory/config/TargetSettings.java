package io.sluice.factory.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/** One `sluice.factory.targets.<name>` entry: a kind of machine, what it is, who may use it, its other names. */
@EachProperty("sluice.factory.targets")
public record TargetSettings(@Parameter String name, @Nullable String description,
                             @Nullable String requiredPrivilege, @Nullable List<String> aliases) {
}
