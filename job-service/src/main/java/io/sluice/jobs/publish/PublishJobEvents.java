package io.sluice.jobs.publish;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobStateEnvelope;
import io.sluice.jobs.store.projection.JobProjector;
import io.sluice.jobs.store.projection.JobViewReader;
import io.sluice.jobs.store.projection.RoundTrip;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Emits a job's events in the transaction that decided them, applies them to the projection in that same
 * transaction, and sends the snapshot they leave to {@code sluice.job.state}: the projection is exactly as current
 * as the saga, and no second consumer reads {@code sluice.job.events} back to build it.
 */
@Singleton
public final class PublishJobEvents {

    private final JobProjector projector;
    private final JobViewReader reader;

    public PublishJobEvents(JobProjector projector, JobViewReader reader) {
        this.projector = projector;
        this.reader = reader;
    }

    /**
     * Emits the rejection of a submission whose id cannot name a job, without projecting it: no row can be keyed by
     * that id (a long one would not even fit an index entry), and no job with that id can exist.
     */
    public void publishUnprojected(HandlerContext context, String jobId, SpecificRecord payload)
            throws SQLException {
        context.emit(Topic.JOB_EVENTS, jobId, Envelopes.<JobEventEnvelope>envelope(Topic.JOB_EVENTS,
                context.causedMetadata(jobId), payload));
    }

    /** Emits {@code payloads}, events of job {@code jobId} in order, and projects them; one snapshot for them all. */
    public void publish(HandlerContext context, String jobId, List<SpecificRecord> payloads) throws SQLException {
        if (payloads.isEmpty()) {
            return;
        }
        List<RoundTrip.Statement> changes = new ArrayList<>();
        for (SpecificRecord payload : payloads) {
            EventMetadata metadata = context.causedMetadata(jobId);
            context.emit(Topic.JOB_EVENTS, jobId, Envelopes.<JobEventEnvelope>envelope(Topic.JOB_EVENTS, metadata,
                    payload));
            changes.addAll(projector.statements(metadata, payload));
        }
        // The events' changes and the read of the job they leave go to the server in one round trip.
        var job = reader.findAfter(context.connection(), changes, jobId);
        if (job.isPresent()) {
            context.emit(Topic.JOB_STATE, jobId, Envelopes.<JobStateEnvelope>envelope(Topic.JOB_STATE,
                    context.causedMetadata(jobId), Snapshots.of(job.get())));
        }
    }
}
