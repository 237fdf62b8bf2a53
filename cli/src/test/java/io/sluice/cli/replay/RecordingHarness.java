package io.sluice.cli.replay;

import io.sluice.events.EventMetadata;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.jobs.domain.Job;
import io.sluice.jobs.domain.JobChange;
import io.sluice.jobs.domain.JobSaga;
import io.sluice.jobs.domain.JobSagaInputs;
import io.sluice.jobs.domain.JobSpecFingerprint;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes one job's history to a test's topics as job-service records it: each input (the request, the factory's and
 * the node's events) and, caused by it, what job-service's saga sent for it; {@link #altering} changes one recorded
 * output on its way, as a bug (or a fix) in the code would have.
 */
final class RecordingHarness {

    private final EventHarness bus;
    private final String jobId;
    private final String nodeId;
    private Job job;
    private UnaryOperator<SpecificRecord> alteration = UnaryOperator.identity();

    RecordingHarness(EventHarness bus, String jobId, String nodeId) {
        this.bus = bus;
        this.jobId = jobId;
        this.nodeId = nodeId;
    }

    /**
     * Records the outputs after this call through {@code alter}, which returns its argument for the others, and null
     * for one the recording is to lack.
     */
    RecordingHarness altering(UnaryOperator<SpecificRecord> alter) {
        this.alteration = alter;
        return this;
    }

    String workerId() {
        return jobId + "." + job.attempt();
    }

    RecordingHarness submitted(JobSpec spec) {
        EventMetadata input = send(Topic.JOB_REQUESTS, jobId, "cli/test", null,
                JobSubmitted.newBuilder().setJobId(jobId).setSpec(spec).build());
        record(input, JobSaga.accept(jobId, spec, JobSpecFingerprint.sha256Of(spec), input.getOccurredAt(),
                Instant.now()), Instant.now());
        return this;
    }

    RecordingHarness workerPlacedAndAssigned() {
        String target = job.spec().getTarget();
        applied(Topic.WORKER_EVENTS, jobId, WorkerPreparing.newBuilder().setJobId(jobId).setAttempt(job.attempt())
                .setWorkerId(workerId()).setNodeId(nodeId).setTarget(target).build());
        return applied(Topic.WORKER_EVENTS, jobId, WorkerAssigned.newBuilder().setJobId(jobId)
                .setAttempt(job.attempt()).setWorkerId(workerId()).setNodeId(nodeId).setTarget(target).build());
    }

    RecordingHarness stepRan(String step, int exitCode) {
        applied(Topic.NODE_EVENTS, nodeId, ProcessStarted.newBuilder().setNodeId(nodeId).setWorkerId(workerId())
                .setJobId(jobId).setProcess(step).setPid(42).setStartedAt(Instant.now()).build());
        return applied(Topic.NODE_EVENTS, nodeId, ProcessExited.newBuilder().setNodeId(nodeId)
                .setWorkerId(workerId()).setJobId(jobId).setProcess(step).setExitCode(exitCode).setDurationMillis(5)
                .setExitedAt(Instant.now()).build());
    }

    RecordingHarness workerReleased() {
        return applied(Topic.WORKER_EVENTS, jobId, WorkerReleased.newBuilder().setJobId(jobId)
                .setWorkerId(workerId()).setNodeId(nodeId).build());
    }

    /** The factory's answer to a withdrawn demand: no worker was placed. */
    RecordingHarness workerWithdrawn() {
        return applied(Topic.WORKER_EVENTS, jobId, WorkerFailed.newBuilder().setJobId(jobId)
                .setAttempt(job.attempt()).setReason("withdrawn").build());
    }

    /** job-service's deadline check at {@code now}: its outputs have no cause. */
    RecordingHarness deadlineCheck(Instant now) {
        record(null, JobSaga.of(job).deadlinesPassed(now), now);
        return this;
    }

    private RecordingHarness applied(Topic topic, String key, SpecificRecord payload) {
        EventMetadata input = send(topic, key, topic == Topic.NODE_EVENTS ? "node-runner/test" : "worker-factory/test",
                null, payload);
        record(input, JobSagaInputs.decide(JobSaga.of(job), payload), Instant.now());
        return this;
    }

    /** Sends what {@code change} sent, stamped {@code at} as job-service's clock stamps them, caused by the input. */
    private void record(EventMetadata cause, JobChange change, Instant at) {
        job = change.after();
        for (EventComparison.Emitted out : SagaReplay.emittedBy(jobId, change.events())) {
            SpecificRecord recorded = alteration.apply(out.payload());
            if (recorded != null) {
                send(out.topic(), out.key(), "job-service/test", cause == null ? null : cause.getEventId().toString(),
                        recorded, at);
            }
        }
    }

    private EventMetadata send(Topic topic, String key, String producer, String causationId,
                               SpecificRecord payload) {
        return send(topic, key, producer, causationId, payload, Instant.now());
    }

    private EventMetadata send(Topic topic, String key, String producer, String causationId,
                               SpecificRecord payload, Instant at) {
        EventMetadata metadata = Envelopes.metadata(UUID.randomUUID(), at, jobId, causationId, producer);
        bus.sendEnvelope(topic, key, Envelopes.envelope(topic, metadata, payload));
        return metadata;
    }
}
