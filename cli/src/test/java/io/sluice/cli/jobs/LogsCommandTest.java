package io.sluice.cli.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.logs.LogStream;
import org.junit.jupiter.api.Test;

class LogsCommandTest extends JobCommandsTestBase {

    private final JobSpec twoSteps = aJob().withSteps(aScript("build", "make"), aScript("test", "make test")).spec();

    @Test
    void prints_each_steps_output_in_sequence_order_each_chunk_once() {
        String jobId = aJobId();
        storyOf(jobId).accepted(twoSteps).workerAssigned().stepStarted(0, "build")
                .output("build", LogStream.STDOUT, 1, "world\nsecond ")
                .output("build", LogStream.STDOUT, 0, "hello ")
                .output("build", LogStream.STDERR, 2, "careful\n")
                .output("build", LogStream.STDOUT, 1, "world\nsecond ")
                .output("test", LogStream.STDOUT, 0, "ok 1\n")
                .output("build", LogStream.STDOUT, 3, "line\n")
                .output("test", LogStream.STDOUT, 1, "ok 2\n");

        SluiceRun logs = SluiceRun.run(on("logs", jobId));

        assertThat(logs.awaitExit()).as(logs.err()).isZero();
        assertThat(logs.outLines()).containsExactly(
                "[build] hello world", "[build stderr] careful", "[build] second line", "[test] ok 1", "[test] ok 2");
    }

    @Test
    void with_json_output_each_line_is_one_json_object_naming_its_step_and_stream() {
        String jobId = aJobId();
        storyOf(jobId).output("build", LogStream.STDOUT, 0, "hello \"world\"\n")
                .output("build", LogStream.STDERR, 1, "careful\n");

        SluiceRun logs = SluiceRun.run(on("logs", jobId, "-o", "json"));

        assertThat(logs.awaitExit()).as(logs.err()).isZero();
        assertThat(logs.outLines()).containsExactly(
                "{\"jobId\":\"" + jobId + "\",\"step\":\"build\",\"stream\":\"stdout\",\"line\":\"hello \\\"world\\\"\"}",
                "{\"jobId\":\"" + jobId + "\",\"step\":\"build\",\"stream\":\"stderr\",\"line\":\"careful\"}");
    }

    @Test
    void prints_only_the_steps_asked_for() {
        String jobId = aJobId();
        storyOf(jobId).output("build", LogStream.STDOUT, 0, "compiling\n").output("test", LogStream.STDOUT, 0, "ok\n");

        SluiceRun logs = SluiceRun.run(on("logs", jobId, "--step", "test"));

        assertThat(logs.awaitExit()).isZero();
        assertThat(logs.outLines()).containsExactly("[test] ok");
    }

    @Test
    void says_so_when_there_is_no_output() {
        String jobId = aJobId();

        SluiceRun logs = SluiceRun.run(on("logs", jobId));

        assertThat(logs.awaitExit()).isZero();
        assertThat(logs.out()).isEmpty();
        assertThat(logs.err()).contains("no output of job " + jobId + " on " + scope.topicPrefix() + "sluice.job.logs");
    }

    @Test
    void follow_prints_new_output_as_it_comes_until_the_job_is_cleaned_up() {
        String jobId = aJobId();
        JobStory story = storyOf(jobId).accepted(twoSteps).workerAssigned().stepStarted(0, "build")
                .output("build", LogStream.STDOUT, 0, "first\nunfinished ");
        SluiceRun logs = SluiceRun.start(on("logs", jobId, "--follow"));
        await().atMost(SluiceRun.DEADLINE).until(() -> logs.out().contains("[build] first"));
        assertThat(logs.out()).doesNotContain("unfinished");

        story.output("build", LogStream.STDOUT, 1, "line\nlast words").stepFinished(0, "build", 0);
        await().atMost(SluiceRun.DEADLINE).until(() -> logs.out().contains("[build] last words"));
        assertThat(logs.exited()).isFalse();
        story.finished(JobOutcome.SUCCEEDED, null, null, null).cleanedUp(JobOutcome.SUCCEEDED);

        assertThat(logs.awaitExit()).isZero();
        assertThat(logs.outLines()).containsExactly("[build] first", "[build] unfinished line", "[build] last words");
    }
}
