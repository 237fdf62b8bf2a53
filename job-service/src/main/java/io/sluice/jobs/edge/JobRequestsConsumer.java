package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.util.List;

/** Takes users' requests: a submitted job goes through intake, a cancellation to the job's saga. */
@Singleton
public final class JobRequestsConsumer implements EventHandler<JobRequestEnvelope> {

    private final JobIntake intake;
    private final RunJobSaga saga;

    public JobRequestsConsumer(JobIntake intake, RunJobSaga saga) {
        this.intake = intake;
        this.saga = saga;
    }

    @Override
    public Topic topic() {
        return Topic.JOB_REQUESTS;
    }

    @Override
    public String consumerName() {
        return "job-service.requests";
    }

    @Override
    public void beforeBatch(List<ConsumedEvent<JobRequestEnvelope>> events, HandlerContext context) throws Exception {
        saga.lockJobsOf(events, context);
    }

    @Override
    public void handle(ConsumedEvent<JobRequestEnvelope> event, HandlerContext context) throws Exception {
        switch (event.envelope().getPayload()) {
            case JobSubmitted submitted -> intake.submit(context, submitted, event.metadata().getOccurredAt(),
                    encodedSizeOf(event.envelope()));
            case JobCancelRequested cancel -> saga.onJob(context, cancel.getJobId(),
                    job -> job.cancel(cancel.getRequestedBy(), cancel.getReason()));
            default -> throw new IllegalArgumentException("unexpected request " + event.envelope().getPayload());
        }
    }

    /**
     * The size of the request as the broker carried it: the consumed event does not keep the record's bytes, so
     * the request is encoded again as its producer did (the same bytes when written with the current schema).
     */
    private static int encodedSizeOf(JobRequestEnvelope request) {
        return EventCodec.<JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS).encode(request).length;
    }
}
