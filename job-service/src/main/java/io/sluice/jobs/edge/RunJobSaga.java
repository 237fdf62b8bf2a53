package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.JobChange;
import io.sluice.jobs.domain.JobSaga;
import io.sluice.jobs.publish.PublishJobChange;
import io.sluice.jobs.store.SagaStore;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Runs one saga decision in the caller's transaction: lock the job, decide, save, publish what was decided. */
@Singleton
public final class RunJobSaga {

    private final SagaStore store;
    private final PublishJobChange publisher;

    public RunJobSaga(SagaStore store, PublishJobChange publisher) {
        this.store = store;
        this.publisher = publisher;
    }

    /**
     * Locks, in one order, the jobs that a batch of events sharing a transaction concerns (an event's correlation
     * id is its job's id), so that two consumers' batches cannot deadlock over them.
     */
    public void lockJobsOf(List<? extends ConsumedEvent<?>> events, HandlerContext context) throws SQLException {
        Set<String> jobIds = new TreeSet<>();
        events.forEach(event -> jobIds.add(event.metadata().getCorrelationId()));
        if (jobIds.size() > 1) {
            store.lockInOrder(context.connection(), jobIds);
        }
    }

    /** Runs {@code decision} on the job if job-service knows it; events for unknown jobs are not ours. */
    public void onJob(HandlerContext context, String jobId, Function<JobSaga, JobChange> decision)
            throws SQLException {
        Optional<Job> job = store.lock(context.connection(), jobId);
        if (job.isPresent()) {
            apply(context, decision.apply(JobSaga.of(job.get())));
        }
    }

    /** Saves the job as {@code change} left it and publishes what it sent, in the transaction of {@code context}. */
    public void apply(HandlerContext context, JobChange change) throws SQLException {
        if (change.changed()) {
            store.save(context.connection(), change.after());
        }
        publisher.publish(context, change);
    }
}
