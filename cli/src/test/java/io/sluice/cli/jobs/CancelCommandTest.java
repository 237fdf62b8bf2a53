package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.job.JobCancelRequested;
import io.sluice.schemas.Topic;
import org.junit.jupiter.api.Test;

class CancelCommandTest extends JobCommandsTestBase {

    @Test
    void sendsACancelRequestWithWhoAsksAndWhy() {
        String jobId = aJobId();

        SluiceRun cancel = SluiceRun.run(on("cancel", jobId, "--reason", "wrong input", "--requested-by", "bob"));

        assertThat(cancel.awaitExit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("asked to cancel job " + jobId);
        assertThat(bench.await(Topic.JOB_REQUESTS, jobId, JobCancelRequested.class)).isEqualTo(JobCancelRequested
                .newBuilder().setJobId(jobId).setRequestedBy("bob").setReason("wrong input").build());
    }

    @Test
    void theRequesterIsTheUserUnlessNamedAndTheReasonIsOptional() {
        String jobId = aJobId();

        assertThat(SluiceRun.run(on("cancel", jobId)).awaitExit()).isZero();

        assertThat(bench.await(Topic.JOB_REQUESTS, jobId, JobCancelRequested.class)).isEqualTo(JobCancelRequested
                .newBuilder().setJobId(jobId).setRequestedBy(Users.current()).setReason(null).build());
    }
}
