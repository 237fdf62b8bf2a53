package io.sluice.jobs.domain;

import static io.sluice.jobs.domain.SagaTranscript.T0;
import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.StopProcess;
import io.sluice.events.worker.FirstLaunch;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The factory launches step 0 with the placement, so the node's reports of it may reach the saga before the
 * factory's WorkerAssigned (or even its WorkerPreparing): every interleaving, without a broker or a database.
 */
class FirstStepBeforeAssignmentTest {

    private static final String WORKER = "job-1.1";

    @Test
    void the_demand_carries_step_zeros_launch_and_no_launch_of_step_zero_is_ever_sent_by_the_saga() {
        SagaTranscript saga = SagaTranscript.accepted(aJob()
                .withSteps(aScript("build", "make all"), aStep("test", "/bin/true")).spec());

        FirstLaunch launch = saga.last(WorkerDemanded.class).getFirstLaunch();
        assertThat(launch.getProcess()).isEqualTo("build");
        assertThat(launch.getArgv()).containsExactly("/bin/sh", "-c", "make all");
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));
        saga.then(s -> s.workerAssigned(1, WORKER, "node-a"));
        assertThat(saga.sent()).noneMatch(LaunchProcess.class::isInstance);
        saga.then(s -> s.processStarted("node-a", WORKER, "build", 10, T0));
        saga.then(s -> s.processExited("node-a", WORKER, "build", 0, null, false, 5));
        assertThat(saga.last(LaunchProcess.class).getProcess()).isEqualTo("test");
    }

    @Test
    void a_start_before_worker_assigned_implies_the_assignment_and_the_later_assignment_changes_nothing() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        assertThat(saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0)))
                .containsExactly("JobWorkerAssigned", "StepStarted");
        assertThat(saga.job().stage()).isEqualTo(Stage.RUNNING);
        assertThat(saga.job().workerStatus()).isEqualTo(WorkerStatus.ASSIGNED);
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        saga.then(s -> s.processExited("node-a", WORKER, "compile", 0, null, false, 5));
        saga.then(s -> s.workerReleased(WORKER));

        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
        assertThat(saga.sentNames()).containsExactly("JobAccepted", "JobQueued", "WorkerRequested", "WorkerDemanded",
                "JobPreparing", "JobWorkerAssigned", "StepStarted", "StepFinished", "JobFinished",
                "WorkerReleaseRequested", "JobWorkerReleased", "JobCleanedUp");
    }

    @Test
    void a_start_before_even_worker_preparing_takes_the_node_from_the_report_and_the_late_placement_is_ignored() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());

        saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0));
        assertThat(saga.last(JobWorkerAssigned.class).getNodeId()).isEqualTo("node-a");
        assertThat(saga.last(JobWorkerAssigned.class).getAttempt()).isEqualTo(1);
        assertThat(saga.then(s -> s.workerPreparing(1, WORKER, "node-a"))).isEmpty();
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        saga.then(s -> s.cancel("bob", null, true));

        assertThat(saga.last(StopProcess.class).getNodeId()).isEqualTo("node-a");
        assertThat(saga.last(StopProcess.class).getWorkerId()).isEqualTo(WORKER);
    }

    @Test
    void a_first_step_that_fails_before_worker_assigned_fails_the_job_and_releases_the_worker() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().withSteps(aStep("one", "/bin/false"),
                aStep("two", "/bin/true")).spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));
        saga.then(s -> s.processStarted("node-a", WORKER, "one", 10, T0));
        saga.then(s -> s.processExited("node-a", WORKER, "one", 3, null, false, 5));

        assertThat(saga.last(JobFinished.class).getReason()).isEqualTo("step 'one' exited with code 3");
        assertThat(saga.last(WorkerReleaseRequested.class).getWorkerId()).isEqualTo(WORKER);
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        saga.then(s -> s.workerReleased(WORKER));
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
        assertThat(saga.sent()).noneMatch(LaunchProcess.class::isInstance);
    }

    @Test
    void an_exit_reported_without_a_start_before_worker_assigned_still_gives_assignment_then_step_finished() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());

        assertThat(saga.then(s -> s.processExited("node-a", WORKER, "compile", 0, null, false, 5)))
                .startsWith("JobWorkerAssigned", "StepFinished", "JobFinished");
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
    }

    @Test
    void a_launch_failure_before_worker_assigned_fails_the_job_naming_the_step() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        assertThat(saga.then(s -> s.processFailedToRun("node-a", WORKER, "compile",
                "executable not found: /bin/tru"))).startsWith("JobWorkerAssigned", "StepFinished", "JobFinished");
        assertThat(saga.last(JobFinished.class).getReason())
                .isEqualTo("step 'compile' did not run: executable not found: /bin/tru");
        assertThat(saga.last(WorkerReleaseRequested.class).getWorkerId()).isEqualTo(WORKER);
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
    }

    @Test
    void a_preparation_that_fails_fails_the_job_with_the_factorys_reason_and_nothing_is_launched_or_stopped() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        saga.then(s -> s.workerFailed(1, "input bin/tool: sha256 mismatch"));

        assertThat(saga.last(JobFinished.class).getReason()).isEqualTo("worker-failed: input bin/tool: sha256 mismatch");
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
        assertThat(saga.sent()).noneMatch(p -> p instanceof LaunchProcess || p instanceof StopProcess
                || p instanceof WorkerReleaseRequested);
    }

    @Test
    void cancel_while_placed_releases_the_worker_which_takes_the_step_with_it_and_late_reports_change_nothing() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        assertThat(saga.then(s -> s.cancel("bob", null, true))).containsExactly("JobFinished", "WorkerReleaseRequested");
        assertThat(saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0))).isEmpty();
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        assertThat(saga.then(s -> s.processExited("node-a", WORKER, "compile", null, "KILL", false, 5))).isEmpty();
        saga.then(s -> s.workerReleased(WORKER));

        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.CANCELLED);
    }

    @Test
    void cancel_while_demanded_withdraws_and_a_start_reported_meanwhile_changes_nothing() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());

        assertThat(saga.then(s -> s.cancel("bob", null, true))).containsExactly("JobFinished", "WorkerDemandWithdrawn");
        assertThat(saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0))).isEmpty();
        assertThat(saga.then(s -> s.workerPreparing(1, WORKER, "node-a"))).isEmpty();
        saga.then(s -> s.workerReleased(WORKER));

        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
    }

    @Test
    void cancel_after_a_start_before_worker_assigned_stops_the_step_and_finishes_on_its_exit() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().spec());
        saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0));

        assertThat(saga.then(s -> s.cancel("bob", null, true))).containsExactly("JobStopping", "StopProcess");
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        saga.then(s -> s.processExited("node-a", WORKER, "compile", null, "TERM", false, 5));

        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.CANCELLED);
        assertThat(saga.last(WorkerReleaseRequested.class).getWorkerId()).isEqualTo(WORKER);
    }

    @Test
    void the_queue_timeout_stops_counting_at_a_start_before_worker_assigned() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().withQueueTimeout(500).spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));
        saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0));

        assertThat(saga.then(s -> s.deadlinesPassed(T0.plusMillis(500)))).isEmpty();
        assertThat(saga.job().queueDeadline()).isNull();
    }

    @Test
    void the_queue_timeout_while_placed_times_the_job_out_and_releases_the_worker() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().withQueueTimeout(500).spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        saga.then(s -> s.deadlinesPassed(T0.plusMillis(500)));

        assertThat(saga.last(JobFinished.class).getReason()).startsWith("queue-timeout");
        assertThat(saga.last(WorkerReleaseRequested.class).getWorkerId()).isEqualTo(WORKER);
        assertThat(saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0))).isEmpty();
    }

    @Test
    void the_run_timeout_counts_from_a_start_reported_before_worker_assigned() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().withRunTimeout(1_000).spec());
        saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0));
        saga.then(s -> s.workerAssigned(1, WORKER, "node-a"));

        assertThat(saga.then(s -> s.deadlinesPassed(T0.plusMillis(999)))).isEmpty();
        assertThat(saga.then(s -> s.deadlinesPassed(T0.plusMillis(1_000)))).containsExactly("JobStopping",
                "StopProcess");
        saga.then(s -> s.processExited("node-a", WORKER, "compile", null, "TERM", false, 1_000));
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
    }

    @Test
    void a_node_lost_while_placed_retries_with_the_launch_again_and_ignores_the_old_workers_reports() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().retriedOnNodeLoss(1).spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        saga.then(s -> s.workerLost(1, WORKER, "node node-a sent no heartbeat for 15 s"));
        WorkerDemanded retry = saga.last(WorkerDemanded.class);
        assertThat(retry.getAttempt()).isEqualTo(2);
        assertThat(retry.getFirstLaunch().getProcess()).isEqualTo("compile");
        assertThat(saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0))).isEmpty();
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        assertThat(saga.then(s -> s.processStarted("node-b", "job-1.2", "compile", 11, T0)))
                .containsExactly("JobWorkerAssigned", "StepStarted");

        assertThat(saga.last(JobWorkerAssigned.class).getAttempt()).isEqualTo(2);
        assertThat(saga.last(StepStarted.class).getAttempt()).isEqualTo(2);
        assertThat(saga.job().nodeId()).isEqualTo("node-b");
    }

    @Test
    void a_node_lost_after_a_start_before_worker_assigned_finishes_the_step_and_retries() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().retriedOnNodeLoss(1).spec());
        saga.then(s -> s.processStarted("node-a", WORKER, "compile", 10, T0));

        assertThat(saga.then(s -> s.workerLost(1, WORKER, "gone")))
                .containsExactly("StepFinished", "JobRetrying", "WorkerRequested", "WorkerDemanded");
        assertThat(saga.last(StepFinished.class).getReason()).isEqualTo("node-lost: gone");
        assertThat(saga.then(s -> s.workerAssigned(1, WORKER, "node-a"))).isEmpty();
        assertThat(saga.job().stage()).isEqualTo(Stage.WAITING_FOR_WORKER);
        assertThat(saga.last(WorkerDemanded.class).getFirstLaunch()).isNotNull();
    }

    @Test
    void reports_before_worker_assigned_of_another_process_or_worker_change_nothing() {
        SagaTranscript saga = SagaTranscript.accepted(aJob().withSteps(aStep("one", "/bin/true"),
                aStep("two", "/bin/true")).spec());
        saga.then(s -> s.workerPreparing(1, WORKER, "node-a"));

        for (List<String> sent : List.of(
                saga.then(s -> s.processStarted("node-a", WORKER, "two", 10, T0)),
                saga.then(s -> s.processStarted("node-a", "job-1.0", "one", 10, T0)),
                saga.then(s -> s.processStarted("node-a", "job-2.1", "one", 10, T0)),
                saga.then(s -> s.processFailedToRun("node-a", WORKER, "two", "no")))) {
            assertThat(sent).isEmpty();
        }
        assertThat(saga.job().workerStatus()).isEqualTo(WorkerStatus.PLACED);
    }
}
