package io.sluice.cli.jobs;

import java.time.Instant;

import io.sluice.events.EventMetadata;
import io.sluice.events.job.StepStarted;
import io.sluice.schemas.Topic;

/** One decoded event of a job, from one of its topics. */
record JobRecord(Topic topic, EventMetadata metadata, Object payload) {

    Instant occurredAt() {
        return metadata.getOccurredAt();
    }

    /**
     * When it happened by the clock that orders it against the job's output: a step's start by the node's clock, as
     * its log chunks are (job-service learns of the start, and says so, only after the first output may be read).
     */
    Instant orderedAt() {
        return payload instanceof StepStarted started ? started.getStartedAt() : occurredAt();
    }
}
