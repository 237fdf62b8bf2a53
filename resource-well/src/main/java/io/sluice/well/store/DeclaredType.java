package io.sluice.well.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** A row of {@code declared_type}: a type this well declared, and when it last did. */
@MappedEntity("declared_type")
public record DeclaredType(@Id String type, Instant declaredAt) {
}
