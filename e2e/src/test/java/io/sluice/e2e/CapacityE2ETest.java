package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.StepStarted;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.schemas.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A node with one slot runs one job at a time; the others wait in the order they asked, and can be cancelled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapacityE2ETest {

    private SluiceSystem sluice;

    @BeforeAll
    void start() throws Exception {
        sluice = new SluiceSystem("capacity", 1, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        sluice.close();
    }

    @Test
    void five_jobs_on_one_slot_run_one_at_a_time_in_the_order_they_asked_for_a_worker() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String jobId = "fifo-" + i;
            jobs.add(jobId);
            sluice.submit(jobId, aJob().withSteps(aScript("work", "sleep 0.3")).spec());
            // Each demand reaches the factory before the next job is submitted: that is the order FIFO keeps.
            sluice.bus.await(Topic.WORKER_DEMANDS, jobId, WorkerDemanded.class);
        }
        for (String jobId : jobs) {
            assertThat(sluice.bus.await(Topic.JOB_EVENTS, jobId, JobCleanedUp.class).getOutcome())
                    .isEqualTo(JobOutcome.SUCCEEDED);
        }
        // Start and exit times both come from the node's clock.
        List<Instant> starts = jobs.stream().map(jobId -> sluice.bus.payloads(Topic.NODE_EVENTS, jobId,
                ProcessStarted.class).getFirst().getStartedAt()).toList();
        List<Instant> exits = jobs.stream().map(jobId -> sluice.bus.payloads(Topic.NODE_EVENTS, jobId,
                ProcessExited.class).getFirst().getExitedAt()).toList();
        assertThat(starts).as("jobs start in the order they asked for a worker").isSorted();
        for (int i = 1; i < jobs.size(); i++) {
            assertThat(starts.get(i)).as("%s starts after %s exited", jobs.get(i), jobs.get(i - 1))
                    .isAfterOrEqualTo(exits.get(i - 1));
        }
    }

    @Test
    void a_job_cancelled_while_queued_behind_another_never_runs() {
        sluice.submit("blocker", aJob().withSteps(aStep("holds", "/bin/sleep", "60")).spec());
        sluice.bus.await(Topic.JOB_EVENTS, "blocker", StepStarted.class);
        sluice.submit("queued", aJob().spec());
        sluice.bus.await(Topic.WORKER_DEMANDS, "queued", WorkerDemanded.class);
        sluice.cancel("queued");
        JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, "queued", JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.CANCELLED);
        assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "queued", StepStarted.class)).isEmpty();
        sluice.cancel("blocker");
        assertThat(sluice.bus.await(Topic.JOB_EVENTS, "blocker", JobCleanedUp.class).getOutcome())
                .isEqualTo(JobOutcome.CANCELLED);
    }
}
