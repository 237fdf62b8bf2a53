package io.sluice.jobs.domain;

import static io.sluice.jobs.domain.SagaTranscript.T0;
import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.GrantedResource;
import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.StopProcess;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.events.resource.ResourceReleaseRequested;
import io.sluice.events.worker.WorkerDemandWithdrawn;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The saga's decisions, input by input, without a broker or a database. */
class JobSagaTest {

    private SagaTranscript saga;

    private void accept(JobSpec spec) {
        saga = SagaTranscript.accepted(spec);
    }

    private void runOnWorker() {
        saga.then(s -> s.workerPreparing(1, "job-1.1", "node-a"));
        saga.then(s -> s.workerAssigned(1, "job-1.1", "node-a"));
    }

    @Test
    void a_two_step_job_runs_its_steps_in_order_then_releases_its_worker_and_cleans_up() {
        accept(aJob().withSteps(aStep("one", "/bin/true"), aStep("two", "/bin/true")).spec());
        assertThat(saga.last(WorkerDemanded.class).getFirstLaunch().getProcess()).isEqualTo("one");
        runOnWorker();
        saga.then(s -> s.processStarted("node-a", "job-1.1", "one", 10, T0));
        saga.then(s -> s.processExited("node-a", "job-1.1", "one", 0, null, false, 5));
        assertThat(saga.last(LaunchProcess.class).getProcess()).isEqualTo("two");
        saga.then(s -> s.processStarted("node-a", "job-1.1", "two", 11, T0));
        saga.then(s -> s.processExited("node-a", "job-1.1", "two", 0, null, false, 5));
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(saga.last(WorkerReleaseRequested.class).getWorkerId()).isEqualTo("job-1.1");
        saga.then(s -> s.workerReleased("job-1.1"));
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
        assertThat(saga.sentNames()).containsExactly("JobAccepted", "JobQueued", "WorkerRequested", "WorkerDemanded",
                "JobPreparing", "JobWorkerAssigned", "StepStarted", "StepFinished", "LaunchProcess",
                "StepStarted", "StepFinished", "JobFinished", "WorkerReleaseRequested", "JobWorkerReleased",
                "JobCleanedUp");
    }

    @Test
    void a_failing_step_fails_the_job_with_its_exit_code_and_skips_the_rest() {
        accept(aJob().withSteps(aStep("one", "/bin/false"), aStep("two", "/bin/true")).spec());
        runOnWorker();
        saga.then(s -> s.processExited("node-a", "job-1.1", "one", 3, null, false, 5));
        JobFinished finished = saga.last(JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.getReason()).isEqualTo("step 'one' exited with code 3");
        assertThat(finished.getExitCode()).isEqualTo(3);
        assertThat(finished.getFailedStep()).isEqualTo("one");
        assertThat(saga.sent()).noneMatch(LaunchProcess.class::isInstance);
    }

    @Test
    void resources_are_acquired_one_at_a_time_in_lexicographic_order_and_released_in_reverse() {
        accept(aJob().withResources("token", "database", "lab-slot").spec());
        assertThat(saga.last(ResourceDemanded.class).getResourceType()).isEqualTo("database");
        saga.then(s -> s.resourceGranted(granted("database", "db-1")));
        assertThat(saga.last(ResourceDemanded.class).getResourceType()).isEqualTo("lab-slot");
        saga.then(s -> s.resourceGranted(granted("lab-slot", "slot-1")));
        assertThat(saga.last(ResourceDemanded.class).getResourceType()).isEqualTo("token");
        assertThat(saga.sent()).noneMatch(WorkerDemanded.class::isInstance);
        saga.then(s -> s.resourceGranted(granted("token", "tok-1")));
        assertThat(saga.last(WorkerDemanded.class).getResources()).hasSize(3);
        runOnWorker();
        saga.then(s -> s.processExited("node-a", "job-1.1", "compile", 0, null, false, 5));
        saga.then(s -> s.workerReleased("job-1.1"));
        assertThat(saga.last(ResourceReleaseRequested.class).getResourceId()).isEqualTo("tok-1");
        saga.then(s -> s.resourceReleased("tok-1", null));
        assertThat(saga.last(ResourceReleaseRequested.class).getResourceId()).isEqualTo("slot-1");
        saga.then(s -> s.resourceReleased("slot-1", null));
        assertThat(saga.last(ResourceReleaseRequested.class).getResourceId()).isEqualTo("db-1");
        assertThat(saga.job().stage()).isEqualTo(Stage.CLOSING);
        saga.then(s -> s.resourceReleased("db-1", null));
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
    }

    @Test
    void a_resource_its_well_takes_away_fails_the_running_job_and_the_rest_is_released() {
        accept(aJob().withResources("database", "token").spec());
        saga.then(s -> s.resourceGranted(granted("database", "db-1")));
        saga.then(s -> s.resourceGranted(granted("token", "tok-1")));
        runOnWorker();
        saga.then(s -> s.processStarted("node-a", "job-1.1", "compile", 10, T0));

        saga.then(s -> s.resourceReleased("db-1", "expired: its lifetime ended at 2026-12-01T11:00:00Z"));

        assertThat(saga.sentNames()).contains("JobResourceReleased", "JobStopping", "StopProcess");
        saga.then(s -> s.processExited("node-a", "job-1.1", "compile", null, "TERM", false, 5));
        assertThat(saga.last(JobFinished.class).getReason())
                .isEqualTo("resource-lost: database db-1: expired: its lifetime ended at 2026-12-01T11:00:00Z");
        saga.then(s -> s.workerReleased("job-1.1"));
        assertThat(saga.last(ResourceReleaseRequested.class).getResourceId()).isEqualTo("tok-1");
        saga.then(s -> s.resourceReleased("tok-1", null));
        assertThat(saga.sent()).filteredOn(ResourceReleaseRequested.class::isInstance).hasSize(1);
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
    }

    @Test
    void cancel_while_queued_for_a_worker_withdraws_the_demand_and_closes_after_the_factorys_answer() {
        accept(aJob().spec());
        saga.then(s -> s.cancel("bob", "not needed", true));
        assertThat(saga.last(WorkerDemandWithdrawn.class).getAttempt()).isEqualTo(1);
        assertThat(saga.last(JobFinished.class).getReason()).isEqualTo("cancelled by bob: not needed");
        assertThat(saga.job().stage()).isEqualTo(Stage.CLOSING);
        saga.then(s -> s.workerFailed(1, "demand withdrawn"));
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
    }

    @Test
    void a_cancel_by_neither_the_owner_nor_an_admin_is_refused_and_changes_nothing() {
        accept(aJob().spec());
        Job before = saga.job();
        saga.then(s -> s.cancel("bob", "mine now", false));
        assertThat(saga.last(JobRequestRefused.class).getReason()).contains("'bob' may not cancel a job of 'alice'");
        assertThat(saga.job()).isEqualTo(before);
        saga.then(s -> s.cancel("alice", null, false));
        assertThat(saga.last(JobFinished.class).getReason()).isEqualTo("cancelled by alice");
    }

    @Test
    void cancel_while_acquiring_withdraws_the_resource_demand_and_releases_what_is_held() {
        accept(aJob().withResources("a", "b").spec());
        saga.then(s -> s.resourceGranted(granted("a", "a-1")));
        saga.then(s -> s.cancel("bob", null, true));
        assertThat(saga.sentNames()).contains("ResourceDemandWithdrawn");
        assertThat(saga.last(ResourceReleaseRequested.class).getResourceId()).isEqualTo("a-1");
        saga.then(s -> s.resourceReleased("a-1", null));
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
        saga.then(s -> s.resourceGranted(granted("b", "b-late")));
        assertThat(saga.last(ResourceReleaseRequested.class).getResourceId()).isEqualTo("b-late");
    }

    @Test
    void cancel_while_running_stops_the_step_with_its_signal_and_grace_and_finishes_when_it_exited() {
        accept(aJob().spec());
        runOnWorker();
        saga.then(s -> s.processStarted("node-a", "job-1.1", "compile", 10, T0));
        saga.then(s -> s.cancel("bob", null, true));
        StopProcess stop = saga.last(StopProcess.class);
        assertThat(stop.getGraceMillis()).isEqualTo(2_000);
        assertThat(saga.sent()).noneMatch(JobFinished.class::isInstance);
        saga.then(s -> s.processExited("node-a", "job-1.1", "compile", null, "TERM", false, 5));
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.CANCELLED);
        assertThat(saga.last(WorkerReleaseRequested.class).getWorkerId()).isEqualTo("job-1.1");
    }

    @Test
    void the_run_timeout_stops_the_running_step_and_ends_the_job_timed_out() {
        accept(aJob().withRunTimeout(1_000).spec());
        runOnWorker();
        saga.then(s -> s.processStarted("node-a", "job-1.1", "compile", 10, T0));
        saga.then(s -> s.deadlinesPassed(T0.plusMillis(999)));
        assertThat(saga.sent()).noneMatch(StopProcess.class::isInstance);
        saga.then(s -> s.deadlinesPassed(T0.plusMillis(1_000)));
        assertThat(saga.sent()).anyMatch(StopProcess.class::isInstance);
        saga.then(s -> s.processExited("node-a", "job-1.1", "compile", null, "TERM", false, 1_000));
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
        assertThat(saga.last(JobFinished.class).getReason()).startsWith("run-timeout");
    }

    @Test
    void the_queue_timeout_ends_a_job_that_got_no_worker() {
        accept(aJob().withQueueTimeout(500).spec());
        saga.then(s -> s.deadlinesPassed(T0.plusMillis(500)));
        assertThat(saga.last(JobFinished.class).getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
        assertThat(saga.last(JobFinished.class).getReason()).startsWith("queue-timeout");
        assertThat(saga.sentNames()).contains("WorkerDemandWithdrawn");
    }

    @Test
    void a_lost_node_fails_the_job_with_node_lost_unless_it_may_retry() {
        accept(aJob().spec());
        runOnWorker();
        saga.then(s -> s.processStarted("node-a", "job-1.1", "compile", 10, T0));
        saga.then(s -> s.workerLost(1, "job-1.1", "node node-a saga.sent() no heartbeat for 15 s"));
        assertThat(saga.last(JobFinished.class).getReason()).startsWith("node-lost");
        assertThat(saga.job().stage()).isEqualTo(Stage.CLEANED_UP);
    }

    @Test
    void a_lost_node_is_retried_on_a_new_worker_with_the_next_attempt() {
        accept(aJob().retriedOnNodeLoss(1).spec());
        runOnWorker();
        saga.then(s -> s.workerLost(1, "job-1.1", "gone"));
        assertThat(saga.last(WorkerDemanded.class).getAttempt()).isEqualTo(2);
        saga.then(s -> s.workerAssigned(1, "job-1.1", "node-a"));
        assertThat(saga.job().stage()).isEqualTo(Stage.WAITING_FOR_WORKER);
        assertThat(saga.last(WorkerDemanded.class).getFirstLaunch().getProcess()).isEqualTo("compile");
        saga.then(s -> s.workerAssigned(2, "job-1.2", "node-b"));
        assertThat(saga.job().nodeId()).isEqualTo("node-b");
        assertThat(saga.sent()).noneMatch(LaunchProcess.class::isInstance);
        saga.then(s -> s.workerLost(2, "job-1.2", "node-lost: node node-b saga.sent() no heartbeat for 15 s"));
        assertThat(saga.last(JobFinished.class).getReason()).isEqualTo("node-lost: node node-b saga.sent() no heartbeat for 15 s");
    }

    @Test
    void events_of_another_worker_or_process_change_nothing() {
        accept(aJob().spec());
        runOnWorker();
        int before = saga.sent().size();
        saga.then(s -> s.processExited("node-a", "job-0.1", "compile", 1, null, false, 5));
        saga.then(s -> s.processExited("node-a", "job-1.1", "other", 1, null, false, 5));
        assertThat(saga.sent()).hasSize(before);
    }

    private static GrantedResource granted(String type, String id) {
        return GrantedResource.newBuilder().setType(type).setResourceId(id).setMetadata(Map.of())
                .setSecrets(List.of()).build();
    }
}
