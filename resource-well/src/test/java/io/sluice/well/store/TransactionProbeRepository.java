package io.sluice.well.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The probe's Micronaut Data JDBC repository (test only, to be replaced by the well's own repositories). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TransactionProbeRepository extends CrudRepository<TransactionProbe, String> {
}
