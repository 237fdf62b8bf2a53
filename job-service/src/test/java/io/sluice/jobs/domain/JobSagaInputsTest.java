package io.sluice.jobs.domain;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.StepStarted;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.events.worker.WorkerPreparing;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The table of the saga's inputs: which events are inputs, whose job they concern, and the decision each makes. */
class JobSagaInputsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void a_process_report_is_an_input_of_its_job_and_a_worker_report_of_the_node_is_not() {
        ProcessStarted started = ProcessStarted.newBuilder().setNodeId("node-a").setWorkerId("job-1.1")
                .setJobId("job-1").setProcess("one").setPid(7).setStartedAt(T0).build();
        WorkerPrepared prepared = WorkerPrepared.newBuilder().setNodeId("node-a").setWorkerId("job-1.1")
                .setJobId("job-1").build();

        assertThat(JobSagaInputs.jobIdOf(started)).contains("job-1");
        assertThat(JobSagaInputs.isInput(prepared)).isFalse();
        assertThatThrownBy(() -> JobSagaInputs.decide(JobSaga.of(accepted()), prepared))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an input of the job saga");
    }

    @Test
    void an_input_makes_the_decision_the_saga_method_makes() {
        Job job = accepted();
        WorkerPreparing preparing = WorkerPreparing.newBuilder().setJobId("job-1").setAttempt(1)
                .setWorkerId("job-1.1").setNodeId("node-a").setTarget("linux").build();

        JobChange placed = JobSagaInputs.decide(JobSaga.of(job), preparing);
        JobChange started = JobSagaInputs.decide(JobSaga.of(placed.after()), ProcessStarted.newBuilder()
                .setNodeId("node-a").setWorkerId("job-1.1").setJobId("job-1").setProcess("one").setPid(7)
                .setStartedAt(T0).build());

        assertThat(placed).isEqualTo(JobSaga.of(job).workerPreparing(1, "job-1.1", "node-a"));
        assertThat(placed.events()).extracting(Outgoing::payload).singleElement().isInstanceOf(JobPreparing.class);
        // The first step's report implies the assignment, then says the step started.
        assertThat(started.after().stage()).isEqualTo(Stage.RUNNING);
        assertThat(started.events()).extracting(out -> out.payload().getSchema().getName())
                .containsExactly("JobWorkerAssigned", StepStarted.class.getSimpleName());
    }

    private static Job accepted() {
        var spec = aJob().withSteps(aStep("one", "/bin/true")).spec();
        return JobSaga.accept("job-1", spec, JobSpecFingerprint.sha256Of(spec), T0, T0).after();
    }
}
