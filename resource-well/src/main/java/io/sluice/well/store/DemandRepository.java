package io.sluice.well.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** The demands job-service made ({@code resource_demand}), the waiting ones in arrival order per type. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DemandRepository extends CrudRepository<DemandRow, String> {

    List<DemandRow> findByTypeAndStateOrderBySeq(String type, String state);

    long countByTypeAndState(String type, String state);
}
