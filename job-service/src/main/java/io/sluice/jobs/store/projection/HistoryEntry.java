package io.sluice.jobs.store.projection;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/** One transition of a job: the event, when it happened, the state after it, and the event's fields. */
@Serdeable
public record HistoryEntry(int position, String eventId, String type, Instant occurredAt, String state,
                           Map<String, Object> detail) {
}
