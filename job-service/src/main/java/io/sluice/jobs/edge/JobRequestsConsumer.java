package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Takes users' requests: each is checked to come from whom it claims, then a submitted job goes through intake, a
 * cancellation to the job's saga.
 */
@Singleton
public final class JobRequestsConsumer implements EventHandler<JobRequestEnvelope> {

    private final AuthorizeJobRequests authorize;
    private final RunJobSaga saga;

    public JobRequestsConsumer(AuthorizeJobRequests authorize, RunJobSaga saga) {
        this.authorize = authorize;
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
            case JobSubmitted submitted -> authorize.submit(context, event, submitted);
            case JobCancelRequested cancel -> authorize.cancel(context, event, cancel);
            default -> throw new IllegalArgumentException("unexpected request " + event.envelope().getPayload());
        }
    }
}
