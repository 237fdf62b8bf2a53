package io.sluice.jobs.publish;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobStateEnvelope;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.StepStarted;
import io.sluice.events.job.WorkerRequested;
import io.sluice.jobs.publish.metrics.JobMetrics;
import io.sluice.jobs.store.projection.JobMetricsReader;
import io.sluice.jobs.store.projection.JobProjector;
import io.sluice.jobs.store.projection.JobView;
import io.sluice.jobs.store.projection.JobViewReader;
import io.sluice.jobs.store.projection.RoundTrip;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Emits a job's events in the transaction that decided them, applies them to the projection in that same
 * transaction, and sends the snapshot they leave to {@code sluice.job.state}: the projection is exactly as current
 * as the saga, and no second consumer reads {@code sluice.job.events} back to build it; and counts them in the
 * job metrics once that transaction committed.
 */
@Singleton
public final class PublishJobEvents {

    private final JobProjector projector;
    private final JobViewReader reader;
    private final JobMetrics metrics;
    private final JobMetricsReader metricsReader;

    public PublishJobEvents(JobProjector projector, JobViewReader reader, JobMetrics metrics,
                            JobMetricsReader metricsReader) {
        this.projector = projector;
        this.reader = reader;
        this.metrics = metrics;
        this.metricsReader = metricsReader;
    }

    /**
     * Emits the rejection of a submission whose id cannot name a job, without projecting it: no row can be keyed by
     * that id (a long one would not even fit an index entry), and no job with that id can exist.
     */
    public void publishUnprojected(HandlerContext context, String jobId, SpecificRecord payload)
            throws SQLException {
        context.emit(Topic.JOB_EVENTS, jobId, Envelopes.<JobEventEnvelope>envelope(Topic.JOB_EVENTS,
                context.causedMetadata(jobId), payload));
        if (payload instanceof JobRejected) {
            context.afterCommit(() -> {
                metrics.submitted(JobMetrics.NO_TARGET);
                metrics.finished(JobMetrics.NO_TARGET, JobMetrics.REJECTED);
            });
        }
    }

    /** Emits {@code payloads}, events of job {@code jobId} in order, and projects them; one snapshot for them all. */
    public void publish(HandlerContext context, String jobId, List<SpecificRecord> payloads) throws SQLException {
        if (payloads.isEmpty()) {
            return;
        }
        List<RoundTrip.Statement> changes = new ArrayList<>();
        List<EventMetadata> stamps = new ArrayList<>();
        for (SpecificRecord payload : payloads) {
            EventMetadata metadata = context.causedMetadata(jobId);
            stamps.add(metadata);
            context.emit(Topic.JOB_EVENTS, jobId, Envelopes.<JobEventEnvelope>envelope(Topic.JOB_EVENTS, metadata,
                    payload));
            changes.addAll(projector.statements(metadata, payload));
        }
        // The events' changes and the read of the job they leave go to the server in one round trip.
        var job = reader.findAfter(context.connection(), changes, jobId);
        if (job.isPresent()) {
            context.emit(Topic.JOB_STATE, jobId, Envelopes.<JobStateEnvelope>envelope(Topic.JOB_STATE,
                    context.causedMetadata(jobId), Snapshots.of(job.get())));
            for (int i = 0; i < payloads.size(); i++) {
                measure(context, job.get(), stamps.get(i).getOccurredAt(), payloads.get(i));
            }
        }
    }

    /**
     * Counts the event in the metrics, with times taken from the events (the milestones the projection holds, and
     * this one's), once the transaction committed: a re-delivered event, skipped as a duplicate, is not counted again.
     */
    private void measure(HandlerContext context, JobView job, Instant at, SpecificRecord payload)
            throws SQLException {
        String target = job.target() == null ? JobMetrics.NO_TARGET : job.target();
        Instant queued = job.milestones().queued();
        switch (payload) {
            case JobAccepted ignored -> context.afterCommit(() -> metrics.submitted(target));
            case JobRejected ignored -> context.afterCommit(() -> {
                metrics.submitted(JobMetrics.NO_TARGET);
                metrics.finished(JobMetrics.NO_TARGET, JobMetrics.REJECTED);
            });
            case JobFinished finished -> context.afterCommit(() ->
                    metrics.finished(target, finished.getOutcome().name()));
            case WorkerRequested requested when requested.getAttempt() == 1 && queued != null
                    && !job.resourcesHeld().isEmpty() -> context.afterCommit(() ->
                    metrics.observe(JobMetrics.Histogram.RESOURCE_WAIT, target, Duration.between(queued, at)));
            case JobPreparing ignored -> {
                Optional<Instant> requested = metricsReader.lastOccurred(context.connection(), job.jobId(),
                        WorkerRequested.class.getSimpleName());
                requested.ifPresent(since -> context.afterCommit(() ->
                        metrics.observe(JobMetrics.Histogram.PLACEMENT, target, Duration.between(since, at))));
            }
            case JobWorkerAssigned assigned when assigned.getAttempt() == 1 && queued != null -> context.afterCommit(
                    () -> metrics.observe(JobMetrics.Histogram.QUEUE_WAIT, target, Duration.between(queued, at)));
            case StepStarted started when started.getStepIndex() == 0 && started.getAttempt() == 1 ->
                    context.afterCommit(() -> metrics.observe(JobMetrics.Histogram.SUBMIT_TO_START, target,
                            Duration.between(job.milestones().submitted(), at)));
            default -> { }
        }
    }
}
