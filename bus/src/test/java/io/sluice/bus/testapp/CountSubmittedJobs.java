package io.sluice.bus.testapp;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.Topic;

/**
 * Counts each JobSubmitted it applies and emits one JobAccepted for it; a job named "explode" makes it throw an
 * exception, one named "die" an Error (a bug that should stop the loop).
 */
public final class CountSubmittedJobs implements EventHandler<JobRequestEnvelope> {

    public static final String EXPLODING_JOB_NAME = "explode";
    public static final String DYING_JOB_NAME = "die";

    @Override
    public Topic topic() {
        return Topic.JOB_REQUESTS;
    }

    @Override
    public String consumerName() {
        return "counting.requests";
    }

    @Override
    public void handle(ConsumedEvent<JobRequestEnvelope> event, HandlerContext context) throws Exception {
        if (!(event.envelope().getPayload() instanceof JobSubmitted submitted)) {
            return;
        }
        if (submitted.getSpec().getName().equals(DYING_JOB_NAME)) {
            throw new AssertionError("job " + submitted.getJobId() + " broke an invariant");
        }
        if (submitted.getSpec().getName().equals(EXPLODING_JOB_NAME)) {
            throw new IllegalStateException("cannot count job " + submitted.getJobId() + ": it explodes");
        }
        Counters.increment(context.connection(), Counters.APPLIED_REQUEST, submitted.getJobId());
        context.emit(Topic.JOB_EVENTS, submitted.getJobId(), JobEventEnvelope.newBuilder()
                .setMetadata(context.causedMetadata(submitted.getJobId()))
                .setPayload(JobAccepted.newBuilder()
                        .setJobId(submitted.getJobId())
                        .setSubmittedAt(event.metadata().getOccurredAt())
                        .setSpec(submitted.getSpec())
                        .build())
                .build());
    }
}
