package io.sluice.jobs.projection;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobStateEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;

/** Keeps the projection of {@code sluice.job.events} and sends the job's new snapshot to {@code sluice.job.state}. */
@Singleton
public final class ProjectJobEvents implements EventHandler<JobEventEnvelope> {

    private final JobProjector projector = new JobProjector();
    private final JobViewReader reader = new JobViewReader();

    @Override
    public Topic topic() {
        return Topic.JOB_EVENTS;
    }

    @Override
    public String consumerName() {
        return "job-service.projection";
    }

    @Override
    public void handle(ConsumedEvent<JobEventEnvelope> event, HandlerContext context) throws Exception {
        String jobId = event.metadata().getCorrelationId();
        // The event's changes and the read of the job they leave go to the server in one round trip.
        var job = reader.findAfter(context.connection(),
                projector.statements(event.metadata(), (SpecificRecord) event.envelope().getPayload()), jobId);
        if (job.isPresent()) {
            context.emit(Topic.JOB_STATE, jobId, Envelopes.<JobStateEnvelope>envelope(Topic.JOB_STATE,
                    context.causedMetadata(jobId), Snapshots.of(job.get())));
        }
    }
}
