package io.sluice.bus.testapp;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.schemas.Topic;

/** Counts each JobAccepted it applies: downstream of the relay, where re-published copies arrive. */
public final class CountAcceptedJobs implements EventHandler<JobEventEnvelope> {

    @Override
    public Topic topic() {
        return Topic.JOB_EVENTS;
    }

    @Override
    public String consumerName() {
        return "counting.events";
    }

    @Override
    public void handle(ConsumedEvent<JobEventEnvelope> event, HandlerContext context) throws Exception {
        if (event.envelope().getPayload() instanceof JobAccepted accepted) {
            Counters.increment(context.connection(), Counters.ACCEPTED_SEEN, accepted.getJobId());
        }
    }
}
