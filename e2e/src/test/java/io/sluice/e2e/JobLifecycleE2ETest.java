package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Jobs submitted as events run on a real node runner under runc, and end as their steps say. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobLifecycleE2ETest {

    private SluiceSystem sluice;

    @BeforeAll
    void start() throws Exception {
        sluice = new SluiceSystem("lifecycle", 2, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        sluice.close();
    }

    @Test
    void a_two_step_job_succeeds_and_its_output_is_on_the_log_topic() {
        sluice.submit("two-steps", aJob().withSteps(aScript("hello", "echo hello from $(hostname)"),
                aScript("count", "for i in 1 2 3; do echo line $i; done; echo oops >&2")).spec());
        JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, "two-steps", JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "two-steps", StepFinished.class))
                .extracting(StepFinished::getStepName, StepFinished::getExitCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", 0),
                        org.assertj.core.groups.Tuple.tuple("count", 0));
        await().atMost(EventHarness.DEADLINE).untilAsserted(() -> {
            assertThat(sluice.output("two-steps", "hello", "STDOUT")).startsWith("hello from ");
            assertThat(sluice.output("two-steps", "count", "STDOUT")).isEqualTo("line 1\nline 2\nline 3\n");
            assertThat(sluice.output("two-steps", "count", "STDERR")).isEqualTo("oops\n");
        });
    }

    @Test
    void a_failing_step_fails_the_job_with_its_exit_code_in_the_reason_and_the_rest_is_skipped() {
        sluice.submit("failing", aJob().withSteps(aScript("breaks", "exit 7"), aStep("never", "/bin/true")).spec());
        JobFinished finished = sluice.bus.await(Topic.JOB_EVENTS, "failing", JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.getReason()).isEqualTo("step 'breaks' exited with code 7");
        assertThat(finished.getExitCode()).isEqualTo(7);
        sluice.bus.await(Topic.JOB_EVENTS, "failing", JobCleanedUp.class);
        assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "failing", StepStarted.class)).hasSize(1);
    }

    @Test
    void a_job_cancelled_while_running_gets_its_shutdown_signal_and_ends_cancelled() {
        sluice.submit("cancel-running", aJob().withSteps(aScript("waits",
                "trap 'echo got TERM; exit 143' TERM; echo ready; sleep 60 & wait")).spec());
        sluice.bus.await(Topic.JOB_EVENTS, "cancel-running", StepStarted.class);
        await().atMost(EventHarness.DEADLINE).until(() -> sluice.output("cancel-running", "waits", "STDOUT")
                .contains("ready"));
        sluice.cancel("cancel-running");
        JobFinished finished = sluice.bus.await(Topic.JOB_EVENTS, "cancel-running", JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.CANCELLED);
        assertThat(finished.getReason()).isEqualTo("cancelled by alice: the test cancels it");
        assertThat(sluice.bus.await(Topic.JOB_EVENTS, "cancel-running", StepFinished.class).getExitCode())
                .isEqualTo(143);
        await().atMost(EventHarness.DEADLINE).untilAsserted(() ->
                assertThat(sluice.output("cancel-running", "waits", "STDOUT")).isEqualTo("ready\ngot TERM\n"));
        sluice.bus.await(Topic.JOB_EVENTS, "cancel-running", JobCleanedUp.class);
    }

    @Test
    void a_job_running_past_its_run_timeout_is_stopped_and_ends_timed_out() {
        sluice.submit("too-slow", aJob().withRunTimeout(1_500).withSteps(aStep("sleeps", "/bin/sleep", "60")).spec());
        JobFinished finished = sluice.bus.await(Topic.JOB_EVENTS, "too-slow", JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
        assertThat(finished.getReason()).isEqualTo("run-timeout: still running after 1500 ms");
        sluice.bus.await(Topic.JOB_EVENTS, "too-slow", JobCleanedUp.class);
    }

    @Test
    void an_invalid_job_is_rejected_with_the_field_path() {
        sluice.submit("invalid", aJob().withSteps(aStep("ok", "/bin/true"), aStep("ok", "")).spec());
        JobRejected rejected = sluice.bus.await(Topic.JOB_EVENTS, "invalid", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(p -> p.getField() + ": " + p.getMessage())
                .containsExactly("spec.steps[1].name: step name 'ok' is used twice",
                        "spec.steps[1].argv[0]: the program to run must not be empty");
    }
}
