package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.StepStarted;
import io.sluice.events.node.ProcessStarted;
import io.sluice.schemas.Topic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kill -9 of job-service in the middle of a job: the restarted service finishes it, every transition once. */
class JobServiceCrashE2ETest {

    @Test
    void a_job_still_finishes_exactly_once_after_job_service_is_killed_mid_job() throws Exception {
        try (SluiceSystem sluice = new SluiceSystem("crash", 2, Map.of())) {
            sluice.submit("survivor", aJob().withSteps(aScript("first", "sleep 2"), aScript("second", "echo done"))
                    .spec());
            sluice.bus.await(Topic.JOB_EVENTS, "survivor", StepStarted.class);

            sluice.jobService.jvm().kill();
            sluice.startJobService();
            sluice.jobService.awaitUp(SluiceSystem.START_DEADLINE);

            JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, "survivor", JobCleanedUp.class);
            assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
            // The relay may publish an event again after a crash, with the same id: consumers count ids.
            List<String> transitions = sluice.bus.payloadNames(Topic.JOB_EVENTS, "survivor");
            assertThat(transitions).containsExactly("JobAccepted", "JobQueued", "WorkerRequested", "JobPreparing",
                    "JobWorkerAssigned", "StepStarted", "StepFinished", "StepStarted", "StepFinished", "JobFinished",
                    "JobWorkerReleased", "JobCleanedUp");
            assertThat(sluice.bus.payloadNames(Topic.NODE_COMMANDS, "survivor"))
                    .containsExactly("PrepareWorker", "LaunchProcess", "LaunchProcess", "DestroyWorker");
            assertThat(sluice.bus.payloads(Topic.NODE_EVENTS, "survivor", ProcessStarted.class)).hasSize(2);
        }
    }
}
