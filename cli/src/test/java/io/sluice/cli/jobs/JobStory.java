package io.sluice.cli.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.JobWorkerReleased;
import io.sluice.events.job.SpecProblem;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.job.WorkerRequested;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Plays one job's part of job-service and of the node runner on the kafka, step by step, as the tests need it:
 * {@code story.accepted(spec).queued().workerAssigned().stepStarted(0, "build")...}.
 */
final class JobStory {

    private final EventHarness harness;
    private final String jobId;
    private final String workerId;
    private final Topic events = Topic.JOB_EVENTS;

    JobStory(EventHarness harness, String jobId) {
        this.harness = harness;
        this.jobId = jobId;
        this.workerId = jobId + ".1";
    }

    String workerId() {
        return workerId;
    }

    JobStory submitted(JobSpec spec) {
        harness.send(Topic.JOB_REQUESTS, jobId, jobId, JobSubmitted.newBuilder().setJobId(jobId).setSpec(spec).build());
        return this;
    }

    JobStory accepted(JobSpec spec) {
        return event(JobAccepted.newBuilder().setJobId(jobId).setSubmittedAt(Instant.now()).setSpec(spec).build());
    }

    JobStory queued() {
        return event(JobQueued.newBuilder().setJobId(jobId).build());
    }

    JobStory workerAssigned() {
        event(WorkerRequested.newBuilder().setJobId(jobId).setTarget("linux").build());
        event(JobPreparing.newBuilder().setJobId(jobId).setWorkerId(workerId).setNodeId("node-1").build());
        return event(JobWorkerAssigned.newBuilder().setJobId(jobId).setWorkerId(workerId).setNodeId("node-1").build());
    }

    JobStory stepStarted(int index, String step) {
        return stepStarted(index, step, Instant.now());
    }

    JobStory stepStarted(int index, String step, Instant startedAt) {
        return event(StepStarted.newBuilder().setJobId(jobId).setStepIndex(index).setStepName(step)
                .setWorkerId(workerId).setPid(4242).setStartedAt(startedAt).build());
    }

    JobStory stepFinished(int index, String step, int exitCode) {
        return event(StepFinished.newBuilder().setJobId(jobId).setStepIndex(index).setStepName(step)
                .setSucceeded(exitCode == 0).setExitCode(exitCode).setDurationMillis(1_200)
                .setReason(exitCode == 0 ? null : "exit code " + exitCode).build());
    }

    JobStory output(String step, LogStream stream, long sequence, String text) {
        return output(step, stream, sequence, text.getBytes(StandardCharsets.UTF_8));
    }

    JobStory output(String step, LogStream stream, long sequence, byte[] data) {
        harness.send(Topic.JOB_LOGS, jobId, jobId, LogChunk.newBuilder().setJobId(jobId).setWorkerId(workerId)
                .setProcess(step).setStream(stream).setSequence(sequence).setData(ByteBuffer.wrap(data)).build());
        return this;
    }

    JobStory finished(JobOutcome outcome, String reason, String failedStep, Integer exitCode) {
        return event(JobFinished.newBuilder().setJobId(jobId).setOutcome(outcome).setReason(reason)
                .setFailedStep(failedStep).setExitCode(exitCode).build());
    }

    JobStory cleanedUp(JobOutcome outcome) {
        event(JobWorkerReleased.newBuilder().setJobId(jobId).setWorkerId(workerId).build());
        return event(JobCleanedUp.newBuilder().setJobId(jobId).setOutcome(outcome).build());
    }

    /** A whole successful run of one step printing {@code text} to stdout. */
    JobStory succeeds(JobSpec spec, String step, String text) {
        return accepted(spec).queued().workerAssigned().stepStarted(0, step).output(step, LogStream.STDOUT, 0, text)
                .stepFinished(0, step, 0).finished(JobOutcome.SUCCEEDED, null, null, null)
                .cleanedUp(JobOutcome.SUCCEEDED);
    }

    /** job-service's answer to the request {@code causationId}: rejected, with one problem per field. */
    JobStory rejected(String causationId, SpecProblem... problems) {
        StringBuilder reason = new StringBuilder("invalid job: ");
        for (SpecProblem problem : problems) {
            reason.append(problem.getField()).append(": ").append(problem.getMessage()).append("; ");
        }
        JobRejected rejected = JobRejected.newBuilder().setJobId(jobId).setReason(reason.toString())
                .setProblems(List.of(problems)).build();
        SpecificRecordBase envelope = Envelopes.envelope(events, Envelopes.metadata(UUID.randomUUID(), Instant.now(),
                jobId, causationId, "test/job-service"), rejected);
        harness.sendEnvelope(events, jobId, envelope);
        return this;
    }

    static SpecProblem problem(String field, String message) {
        return SpecProblem.newBuilder().setField(field).setMessage(message).build();
    }

    /** The event id of the last JobSubmitted under this job id, as job-service's answers name it. */
    /** job-service's refusal of the request {@code causationId}, as not signed by the owner it claims. */
    JobStory refused(String causationId, String reason) {
        JobRequestRefused refused = JobRequestRefused.newBuilder().setJobId(jobId).setRequest("submit")
                .setClaimedBy("alice").setReason(reason).build();
        harness.sendEnvelope(events, jobId, Envelopes.envelope(events, Envelopes.metadata(UUID.randomUUID(),
                Instant.now(), jobId, causationId, "test/job-service"), refused));
        return this;
    }

    String lastSubmissionEventId() {
        List<JobRequestEnvelope> requests = harness.envelopes(Topic.JOB_REQUESTS);
        return requests.stream().filter(request -> request.getPayload() instanceof JobSubmitted submitted
                        && submitted.getJobId().equals(jobId))
                .reduce((first, second) -> second).orElseThrow().getMetadata().getEventId().toString();
    }

    private JobStory event(SpecificRecord payload) {
        harness.send(events, jobId, jobId, payload);
        return this;
    }
}
