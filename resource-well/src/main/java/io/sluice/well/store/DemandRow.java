package io.sluice.well.store;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import io.sluice.well.domain.QueuedDemand;
import java.time.Instant;
import java.util.Map;

/**
 * A row of {@code resource_demand}: one job's demand for one type, its place in the type's queue ({@code seq}, the
 * order it arrived in) and whether it waits (QUEUED), got its instance (ADMITTED) or left (WITHDRAWN).
 */
@MappedEntity("resource_demand")
public record DemandRow(@Id String demandId, @GeneratedValue Long seq, String jobId, String type, String owner,
                        @TypeDef(type = DataType.JSON) Map<String, String> parameters, String state,
                        Instant demandedAt) {

    public static final String QUEUED = "QUEUED";
    public static final String ADMITTED = "ADMITTED";
    public static final String WITHDRAWN = "WITHDRAWN";

    public static DemandRow queued(QueuedDemand demand, String demandId) {
        return new DemandRow(demandId, null, demand.jobId(), demand.type(), demand.owner(), demand.parameters(),
                QUEUED, demand.demandedAt());
    }

    public DemandRow inState(String next) {
        return new DemandRow(demandId, seq, jobId, type, owner, parameters, next, demandedAt);
    }

    public QueuedDemand demand() {
        return new QueuedDemand(jobId, type, owner, parameters, demandedAt);
    }
}
