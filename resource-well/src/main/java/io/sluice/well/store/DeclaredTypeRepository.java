package io.sluice.well.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The types this well declared ({@code declared_type}). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeclaredTypeRepository extends CrudRepository<DeclaredType, String> {
}
