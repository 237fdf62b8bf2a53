package io.sluice.well.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The well's instances ({@code resource_instance}); runs in the transaction of its caller. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InstanceRepository extends CrudRepository<InstanceRow, String> {

    List<InstanceRow> findByTypeAndStateInList(String type, Collection<String> state);

    List<InstanceRow> findByStateAndExpiresAtLessThanEqualsOrderByExpiresAt(String state, Instant now);

    List<InstanceRow> findByStateInListOrderByType(Collection<String> state);

    List<InstanceRow> findByTypeInListAndStateAndExpiresAtGreaterThanOrderByExpiresAt(Collection<String> type,
                                                                                     String state, Instant now);

    List<InstanceRow> findByTypeOrderByAdmittedAtDesc(String type);

    long countByTypeAndStateInList(String type, Collection<String> state);
}
