package io.sluice.well.domain;

import java.time.Instant;
import java.util.Map;

/** A job's demand for one resource of a type, waiting in its type's FIFO queue until capacity frees up. */
public record QueuedDemand(String jobId, String type, String owner, Map<String, String> parameters,
                           Instant demandedAt) {

    public QueuedDemand {
        parameters = Map.copyOf(parameters);
    }
}
