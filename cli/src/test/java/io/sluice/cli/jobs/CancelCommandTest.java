package io.sluice.cli.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.schemas.Topic;
import org.junit.jupiter.api.Test;

class CancelCommandTest extends JobCommandsTestBase {

    private final JobSpec oneStep = aJob().withSteps(aScript("build", "make")).spec();

    @Test
    void sends_a_cancel_request_with_who_asks_and_why() {
        String jobId = aJobId();
        storyOf(jobId).submitted(oneStep).accepted(oneStep).queued();

        SluiceRun cancel = SluiceRun.run(on("cancel", jobId, "--reason", "wrong input", "--requested-by", "bob"));

        assertThat(cancel.awaitExit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("asked to cancel job " + jobId);
        assertThat(harness.await(Topic.JOB_REQUESTS, jobId, JobCancelRequested.class)).isEqualTo(JobCancelRequested
                .newBuilder().setJobId(jobId).setRequestedBy("bob").setReason("wrong input").build());
    }

    @Test
    void the_requester_is_the_user_unless_named_and_the_reason_is_optional() {
        String jobId = aJobId();
        storyOf(jobId).submitted(oneStep);

        assertThat(SluiceRun.run(on("cancel", jobId)).awaitExit()).isZero();

        assertThat(harness.await(Topic.JOB_REQUESTS, jobId, JobCancelRequested.class)).isEqualTo(JobCancelRequested
                .newBuilder().setJobId(jobId).setRequestedBy(CurrentUser.name()).setReason(null).build());
    }

    @Test
    void a_job_nobody_submitted_is_named_as_missing_and_nothing_is_sent() {
        String jobId = aJobId();

        SluiceRun cancel = SluiceRun.run(on("cancel", jobId));

        assertThat(cancel.awaitExit()).isEqualTo(JobExitCodes.REJECTED_OR_USAGE);
        assertThat(cancel.err()).contains("there is no job " + jobId + ": nothing was submitted under this id");
        assertThat(harness.payloadNames(Topic.JOB_REQUESTS, jobId)).isEmpty();
    }

    @Test
    void a_job_already_over_is_left_alone_with_its_outcome() {
        String jobId = aJobId();
        storyOf(jobId).submitted(oneStep).accepted(oneStep).queued().workerAssigned().stepStarted(0, "build")
                .stepFinished(0, "build", 0).finished(JobOutcome.SUCCEEDED, null, null, null)
                .cleanedUp(JobOutcome.SUCCEEDED);

        SluiceRun cancel = SluiceRun.run(on("cancel", jobId));

        assertThat(cancel.awaitExit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("job " + jobId + " is already over (SUCCEEDED); nothing to cancel");
        assertThat(harness.payloadNames(Topic.JOB_REQUESTS, jobId)).containsExactly("JobSubmitted");
    }
}
