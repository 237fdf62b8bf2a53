package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.jobs.publish.LiveProjection;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.JobChange;
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
import java.util.function.Function;
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
    public void onJob(HandlerContext context, String jobId, Function<JobSaga, JobChange> decision)
            throws SQLException {
        Optional<Job> job = store.lock(context.connection(), jobId);
        if (job.isPresent()) {
            commit(context, decision.apply(JobSaga.of(job.get())));
        }
    }

    /**
     * Saves the job as {@code change} left it and emits everything it decided, in the transaction of
     * {@code context}; its job events are projected there too.
     */
    public void commit(HandlerContext context, JobChange change) throws SQLException {
        Job job = change.after();
        if (change.changed()) {
            store.save(context.connection(), job);
        }
        List<SpecificRecord> jobEvents = new ArrayList<>();
        for (Outgoing out : change.events()) {
            switch (out) {
                case Outgoing.JobEvent event -> jobEvents.add(event.payload());
                case Outgoing.ToResourceWell demand -> emit(context, job, Topic.RESOURCE_DEMANDS,
                        demand.resourceType(), demand.payload());
                case Outgoing.ToWorkerFactory demand -> emit(context, job, Topic.WORKER_DEMANDS, demand.target(),
                        demand.payload());
                case Outgoing.ToNode command -> emit(context, job, Topic.NODE_COMMANDS, command.nodeId(),
                        command.payload());
            }
        }
        projection.emit(context, job.jobId(), jobEvents);
    }

    private static void emit(HandlerContext context, Job job, Topic topic, String key, SpecificRecord payload)
            throws SQLException {
        context.emit(topic, key, Envelopes.envelope(topic, context.causedMetadata(job.jobId()), payload));
    }

    /** Emits a job event that changes no saga state (a rejection of a taken id), projected like the others. */
    public void emitJobEvent(HandlerContext context, String jobId, SpecificRecord payload) throws SQLException {
        projection.emit(context, jobId, List.of(payload));
    }
}
