package io.sluice.factory.edge.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.factory.domain.Target;
import java.util.List;

/** A configured target as `GET /targets` shows it. */
@Serdeable
public record TargetView(String name, String description, @Nullable String requiredPrivilege, List<String> aliases) {

    static TargetView of(Target target) {
        return new TargetView(target.name(), target.description(), target.requiredPrivilege(),
                target.aliases().stream().sorted().toList());
    }
}
