package io.sluice.cli.inspect;

import io.sluice.schemas.json.RecordPlace;
import java.time.Instant;

/**
 * What a trace keeps of one of the job's records (not the record, so that a job of many steps traces in little
 * memory): its identity and cause, when it happened, who produced it, where it was, and its line or record form.
 *
 * @param at when it happened: the event's occurredAt, for the submission the time it was sent (see {@link JobTrace})
 * @param shown the compact line for people, or the record form as JSON text
 */
record TraceEntry(String eventId, String causationId, Instant at, String producer, RecordPlace place, String type,
                  String shown) {

    /** The service part of the producer ({@code job-service} of {@code job-service/host-1}). */
    String service() {
        int slash = producer.indexOf('/');
        return slash < 0 ? producer : producer.substring(0, slash);
    }
}
