package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.StepFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import org.junit.jupiter.api.Test;

class JobTranscriptTest {

    private static final Instant T0 = Instant.parse("2025-03-14T09:30:00Z");

    private final List<String> printed = new ArrayList<>();
    private long nanoTime;
    private final JobTranscript transcript = new JobTranscript("job-1", null,
            new EventLines(ZoneOffset.UTC, T0), printed::add, () -> nanoTime);

    @Test
    void output_waits_for_the_line_that_its_step_started() {
        transcript.show(List.of(chunk(0, "early\n")));
        assertThat(printed).isEmpty();

        transcript.show(List.of(started(), chunk(1, "later\n")));

        assertThat(printed).hasSize(3);
        assertThat(printed.get(0)).contains("StepStarted");
        assertThat(printed.subList(1, 3)).containsExactly("[build] early", "[build] later");
    }

    @Test
    void output_whose_step_is_never_announced_shows_after_a_while_all_the_same() {
        transcript.show(List.of(chunk(0, "orphan\n")));
        transcript.tick();
        assertThat(printed).isEmpty();

        nanoTime += JobTranscript.UNANNOUNCED_OUTPUT_HOLD.plus(Duration.ofMillis(1)).toNanos();
        transcript.tick();

        assertThat(printed).containsExactly("[build] orphan");
    }

    @Test
    void a_steps_unfinished_last_line_shows_before_the_line_that_it_finished_and_the_job_ends_with_its_exit_code() {
        transcript.show(List.of(started(), chunk(0, "no newline"), finished(), cleanedUp()));

        assertThat(printed.get(1)).isEqualTo("[build] no newline");
        assertThat(printed.get(2)).contains("StepFinished", "step build succeeded");
        assertThat(transcript.exitCode()).hasValue(0);
    }

    private static JobRecord started() {
        return record(Topic.JOB_EVENTS, StepStarted.newBuilder().setJobId("job-1").setStepIndex(0).setStepName("build")
                .setWorkerId("job-1.1").setStartedAt(T0).build());
    }

    private static JobRecord finished() {
        return record(Topic.JOB_EVENTS, StepFinished.newBuilder().setJobId("job-1").setStepIndex(0)
                .setStepName("build").setSucceeded(true).setExitCode(0).build());
    }

    private static JobRecord cleanedUp() {
        return record(Topic.JOB_EVENTS, JobCleanedUp.newBuilder().setJobId("job-1")
                .setOutcome(JobOutcome.SUCCEEDED).build());
    }

    private static JobRecord chunk(long sequence, String text) {
        return record(Topic.JOB_LOGS, LogChunk.newBuilder().setJobId("job-1").setWorkerId("job-1.1").setProcess("build")
                .setStream(LogStream.STDOUT).setSequence(sequence)
                .setData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).build());
    }

    private static JobRecord record(Topic topic, Object payload) {
        return new JobRecord(topic, Envelopes.metadata(UUID.randomUUID(), T0, "job-1", null, "test"), payload);
    }
}
