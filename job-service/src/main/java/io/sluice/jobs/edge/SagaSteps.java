package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.jobs.publish.LiveProjection;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.JobSaga;
import io.sluice.jobs.domain.Outgoing;
import io.sluice.jobs.store.SagaStore;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Applies one saga decision in the caller's transaction: lock the job, decide, save, emit what was decided and
 * project the job events among it.
 */
@Singleton
public final class SagaSteps {

    private final SagaStore store = new SagaStore();
    private final LiveProjection projection;

    public SagaSteps(LiveProjection projection) {
        this.projection = projection;
    }

    public SagaStore store() {
        return store;
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
    public void onJob(HandlerContext context, String jobId, Consumer<JobSaga> decision) throws SQLException {
        Optional<Job> job = store.lock(context.connection(), jobId);
        if (job.isPresent()) {
            JobSaga saga = new JobSaga(job.get());
            decision.accept(saga);
            commit(context, saga);
        }
    }

    /**
     * Saves the saga's job and emits everything it decided, in the transaction of {@code context}; its job events
     * are projected there too.
     */
    public void commit(HandlerContext context, JobSaga saga) throws SQLException {
        String jobId = saga.job().jobId();
        store.save(context.connection(), saga.job());
        List<SpecificRecord> jobEvents = new ArrayList<>();
        for (Outgoing out : saga.outgoing()) {
            if (out.topic() == Topic.JOB_EVENTS) {
                jobEvents.add(out.payload());
            } else {
                context.emit(out.topic(), out.key(), Envelopes.envelope(out.topic(), context.causedMetadata(jobId),
                        out.payload()));
            }
        }
        projection.emit(context, jobId, jobEvents);
    }

    /** Emits a job event that changes no saga state (a rejection of a taken id), projected like the others. */
    public void emitJobEvent(HandlerContext context, String jobId, SpecificRecord payload) throws SQLException {
        projection.emit(context, jobId, List.of(payload));
    }
}
