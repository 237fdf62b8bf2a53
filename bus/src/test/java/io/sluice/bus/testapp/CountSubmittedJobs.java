package io.sluice.bus.testapp;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.schemas.Topic;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts each JobSubmitted it applies and emits one JobAccepted for it; a job named "explode" makes it throw an
 * exception, one named "die" an Error (a bug that should stop the loop), one named "conflict" has PostgreSQL abort
 * its first {@link #CONFLICTS} transactions with a serialization failure.
 */
public final class CountSubmittedJobs implements EventHandler<JobRequestEnvelope> {

    public static final String EXPLODING_JOB_NAME = "explode";
    public static final String DYING_JOB_NAME = "die";
    public static final String CONFLICTING_JOB_NAME = "conflict";
    public static final int CONFLICTS = 5;

    private static final Map<String, AtomicInteger> CONFLICTS_RAISED = new ConcurrentHashMap<>();

    /** The job ids whose after-commit action ran: each once its transaction committed, never for a rolled-back one. */
    public static final Queue<String> COMMITTED = new ConcurrentLinkedQueue<>();

    /** The event ids of every batch announced to {@link #beforeBatch}, committed or not. */
    public static final Queue<List<String>> BATCHES = new ConcurrentLinkedQueue<>();

    @Override
    public Topic topic() {
        return Topic.JOB_REQUESTS;
    }

    @Override
    public String consumerName() {
        return "counting.requests";
    }

    /** Cancel requests are not this handler's business. */
    @Override
    public boolean concerns(JobRequestEnvelope envelope) {
        return envelope.getPayload() instanceof JobSubmitted;
    }

    @Override
    public void beforeBatch(List<ConsumedEvent<JobRequestEnvelope>> events, HandlerContext context) {
        BATCHES.add(events.stream().map(event -> event.metadata().getEventId().toString()).toList());
    }

    @Override
    public void handle(ConsumedEvent<JobRequestEnvelope> event, HandlerContext context) throws Exception {
        if (!(event.envelope().getPayload() instanceof JobSubmitted submitted)) {
            throw new IllegalStateException("handed an event it is not concerned with: " + event.envelope());
        }
        if (submitted.getSpec().getName().equals(DYING_JOB_NAME)) {
            throw new AssertionError("job " + submitted.getJobId() + " broke an invariant");
        }
        if (submitted.getSpec().getName().equals(EXPLODING_JOB_NAME)) {
            throw new IllegalStateException("cannot count job " + submitted.getJobId() + ": it explodes");
        }
        if (submitted.getSpec().getName().equals(CONFLICTING_JOB_NAME)
                && CONFLICTS_RAISED.computeIfAbsent(submitted.getJobId(), id -> new AtomicInteger())
                        .getAndIncrement() < CONFLICTS) {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute("DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' "
                        + "USING ERRCODE = 'serialization_failure'; END $$");
            }
        }
        Counters.increment(context.connection(), Counters.APPLIED_REQUEST, submitted.getJobId());
        context.afterCommit(() -> COMMITTED.add(submitted.getJobId()));
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
