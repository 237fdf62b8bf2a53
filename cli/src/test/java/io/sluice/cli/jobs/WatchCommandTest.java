package io.sluice.cli.jobs;

import static io.sluice.cli.jobs.JobStory.problem;
import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.logs.LogStream;
import org.junit.jupiter.api.Test;

class WatchCommandTest extends JobCommandsTestBase {

    private final JobSpec twoSteps = aJob().withSteps(aScript("build", "make"), aScript("test", "make test")).spec();

    @Test
    void follows_a_job_from_its_submission_to_its_clean_up_with_its_output_and_exits_zero() {
        String jobId = aJobId();
        SluiceRun watch = SluiceRun.start(on("watch", jobId));
        await().atMost(SluiceRun.DEADLINE).until(() -> watch.out().contains("nothing about job " + jobId + " on"));

        storyOf(jobId).submitted(twoSteps).accepted(twoSteps).queued().workerAssigned()
                .stepStarted(0, "build")
                .output("build", LogStream.STDOUT, 0, "compiling\n")
                .output("build", LogStream.STDERR, 1, "warning: unused\n")
                .stepFinished(0, "build", 0)
                .stepStarted(1, "test")
                .output("test", LogStream.STDOUT, 0, "42 tests passed")
                .stepFinished(1, "test", 0)
                .finished(JobOutcome.SUCCEEDED, null, null, null)
                .cleanedUp(JobOutcome.SUCCEEDED);

        assertThat(watch.awaitExit()).isZero();
        watch.assertOutputInOrder(
                "JobSubmitted", "job 'build' of alice on target linux, 2 steps: build, test",
                "JobAccepted", "state SUBMITTED",
                "JobQueued", "state QUEUED",
                "WorkerRequested", "state WAITING_FOR_WORKER on target linux",
                "JobPreparing", "state PREPARING worker " + jobId + ".1 on node node-1",
                "JobWorkerAssigned",
                "StepStarted", "state RUNNING step build (1 of 2) started, pid 4242",
                "[build] compiling",
                "[build stderr] warning: unused",
                "StepFinished", "step build succeeded, exit code 0 after 1.2 s",
                "StepStarted", "step test (2 of 2) started",
                "[test] 42 tests passed",
                "StepFinished", "step test succeeded",
                "JobFinished", "outcome SUCCEEDED",
                "JobWorkerReleased",
                "JobCleanedUp", "outcome SUCCEEDED");
    }

    @Test
    void with_json_output_each_event_and_output_line_is_one_json_object_and_the_exit_code_is_the_same()
            throws Exception {
        String jobId = aJobId();
        storyOf(jobId).submitted(twoSteps).accepted(twoSteps).workerAssigned()
                .stepStarted(0, "build")
                .output("build", LogStream.STDOUT, 0, "compiling\n")
                .stepFinished(0, "build", 3)
                .finished(JobOutcome.FAILED, "step 'build' exited with code 3", "build", 3)
                .cleanedUp(JobOutcome.FAILED);

        SluiceRun watch = SluiceRun.run(on("watch", jobId, "-o", "json"));

        assertThat(watch.awaitExit()).as(watch.err()).isEqualTo(1);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
        for (String line : watch.outLines()) {
            lines.add(json.readTree(line));
        }
        assertThat(lines).allSatisfy(line -> assertThat(line.path("jobId").asText()).isEqualTo(jobId));
        assertThat(lines).extracting(line -> line.path("event").asText(line.path("line").asText()))
                .containsExactly("JobSubmitted", "JobAccepted", "WorkerRequested", "JobPreparing", "JobWorkerAssigned",
                        "StepStarted", "compiling", "StepFinished", "JobFinished", "JobWorkerReleased", "JobCleanedUp");
        com.fasterxml.jackson.databind.JsonNode finished = lines.get(8);
        assertThat(finished.path("topic").asText()).isEqualTo(scope.topicPrefix() + "sluice.job.events");
        assertThat(finished.path("payload").path("outcome").asText()).isEqualTo("FAILED");
        assertThat(finished.path("payload").path("exitCode").asInt()).isEqualTo(3);
        assertThat(finished.path("text").asText()).contains("outcome FAILED: step 'build' exited with code 3");
        assertThat(lines.get(6).path("step").asText()).isEqualTo("build");
        assertThat(lines.get(6).path("stream").asText()).isEqualTo("stdout");
        assertThat(watch.out()).doesNotContain("\u001b[");
    }

    @Test
    void watches_a_failed_job_after_the_fact_in_order_each_event_once_and_exits_one() {
        String jobId = aJobId();
        JobStory story = storyOf(jobId).accepted(twoSteps).queued().workerAssigned();
        // The node read the first output before job-service announced the start: shown after the start all the same.
        Instant startedAt = Instant.now();
        story.output("build", LogStream.STDOUT, 0, "cc -c main.c\n")
                .stepStarted(0, "build", startedAt)
                .output("build", LogStream.STDOUT, 0, "cc -c main.c\n")
                .output("build", LogStream.STDERR, 1, "main.c:3: error: expected ';'\n")
                .stepFinished(0, "build", 3)
                .finished(JobOutcome.FAILED, "step build exited with code 3", "build", 3)
                .cleanedUp(JobOutcome.FAILED);

        SluiceRun watch = SluiceRun.run(on("watch", jobId));

        assertThat(watch.awaitExit()).as(watch.err()).isEqualTo(1);
        watch.assertOutputInOrder("StepStarted", "[build] cc -c main.c", "[build stderr] main.c:3: error",
                "step build failed, exit code 3 after 1.2 s",
                "outcome FAILED: step build exited with code 3", "JobWorkerReleased", "JobCleanedUp");
        assertThat(watch.outLines()).filteredOn(line -> line.contains("cc -c main.c")).hasSize(1);
    }

    @Test
    void a_rejection_shows_every_problem_with_its_field_path_and_exits_two() {
        String jobId = aJobId();
        storyOf(jobId).submitted(twoSteps).rejected(null,
                problem("spec.target", "unknown target 'gpu'; known targets: linux"),
                problem("spec.steps[1].name", "step name 'build' is used twice"));

        SluiceRun watch = SluiceRun.run(on("watch", jobId));

        assertThat(watch.awaitExit()).isEqualTo(2);
        watch.assertOutputInOrder("JobRejected", "state REJECTED: 2 problems",
                "    - spec.target: unknown target 'gpu'; known targets: linux",
                "    - spec.steps[1].name: step name 'build' is used twice");
    }

    @Test
    void a_later_submission_rejected_under_the_same_id_does_not_end_the_watch_of_the_accepted_job() {
        String jobId = aJobId();
        storyOf(jobId).accepted(twoSteps).queued()
                .rejected("another-submission", problem("jobId", "job id '" + jobId + "' is already used"))
                .finished(JobOutcome.CANCELLED, "cancelled by bob", null, null)
                .cleanedUp(JobOutcome.CANCELLED);

        SluiceRun watch = SluiceRun.run(on("watch", jobId));

        assertThat(watch.awaitExit()).isEqualTo(1);
        watch.assertOutputInOrder("JobRejected", "    - jobId: job id", "a later submission under the id " + jobId
                + " was rejected; the job above goes on", "outcome CANCELLED: cancelled by bob", "JobCleanedUp");
    }

    @Test
    void lines_split_across_chunks_and_characters_are_shown_whole() {
        String jobId = aJobId();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        storyOf(jobId).accepted(twoSteps).workerAssigned().stepStarted(0, "build")
                .output("build", LogStream.STDOUT, 0, "price: 5".getBytes(StandardCharsets.UTF_8))
                .output("build", LogStream.STDOUT, 1, new byte[] {euro[0]})
                .output("build", LogStream.STDOUT, 2, new byte[] {euro[1], euro[2], '\n', 'n', 'o', ' ', 'e', 'n', 'd'})
                .stepFinished(0, "build", 0)
                .finished(JobOutcome.SUCCEEDED, null, null, null).cleanedUp(JobOutcome.SUCCEEDED);

        SluiceRun watch = SluiceRun.run(on("watch", jobId));

        assertThat(watch.awaitExit()).isZero();
        watch.assertOutputInOrder("[build] price: 5€", "[build] no end", "step build succeeded");
    }

    @Test
    void stops_watching_at_the_timeout_with_exit_code_three_and_the_last_state_seen() {
        String jobId = aJobId();
        storyOf(jobId).accepted(twoSteps).queued();

        SluiceRun watch = SluiceRun.run(on("watch", jobId, "--timeout", "1s"));

        assertThat(watch.awaitExit()).isEqualTo(3);
        assertThat(watch.err()).contains("job " + jobId + " is not over after 1.0 s (last seen: QUEUED); stopped "
                + "watching, the job goes on");
    }
}
