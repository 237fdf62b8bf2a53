package io.sluice.cli.replay;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.CommandRun;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.StepFinished;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice replay} on job histories written to a test's topics as job-service records them: a faithful one
 * replays without difference, one with an altered output shows exactly that difference.
 */
class ReplayCommandTest {

    private static IsolatedScope scope;
    private static EventHarness bus;

    @BeforeAll
    static void createTopics() {
        scope = TestInfra.shared().isolate("cli-replay");
        new TopicCreator(scope.admin(), new TopicNaming(scope.topicPrefix())).createAll();
        bus = new EventHarness(scope);
    }

    @AfterAll
    static void close() {
        bus.close();
        scope.close();
    }

    @Test
    void a_recorded_job_replays_without_difference() {
        new RecordingHarness(bus, "replay-same", "node-a")
                .submitted(aJob().withSteps(aStep("one", "/bin/true"), aStep("two", "/bin/true")).spec())
                .workerPlacedAndAssigned().stepRan("one", 0).stepRan("two", 0).workerReleased();

        CommandRun run = replay("replay-same");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("replay of job replay-same: 8 inputs, 15 recorded outputs of job-service")
                .contains("#1 " + bus.topicName(io.sluice.schemas.Topic.JOB_REQUESTS))
                .contains("   state: (unknown) -> WAITING_FOR_WORKER (attempt 1, worker DEMANDED, step 0)")
                .contains("   emits: sluice.job.events JobAccepted, JobQueued, WorkerRequested; sluice.worker.demands "
                        + "WorkerDemanded [linux]")
                .contains("CLEANED_UP")
                .contains("no difference: today's saga does with job replay-same what was recorded")
                .doesNotContain("! ");
    }

    @Test
    void an_altered_recorded_output_is_the_one_difference_and_exits_1() {
        new RecordingHarness(bus, "replay-altered", "node-b")
                .submitted(aJob().withSteps(aStep("one", "/bin/true")).spec())
                .workerPlacedAndAssigned()
                .altering(payload -> payload instanceof StepFinished finished
                        ? StepFinished.newBuilder(finished).setExitCode(7).build() : payload)
                .stepRan("one", 0)
                .altering(payload -> payload)
                .workerReleased();

        CommandRun run = replay("replay-altered");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out().lines().filter(line -> line.contains("! ")).toList()).singleElement().asString()
                .startsWith("   ! sluice.job.events StepFinished.exitCode: recorded 7, now 0 (");
        assertThat(run.out()).contains("1 difference in 1 of 6 transitions");
    }

    @Test
    void an_output_the_recording_lacks_is_reported_as_emitted_now_and_not_recorded() {
        new RecordingHarness(bus, "replay-lacking", "node-d")
                .submitted(aJob().withSteps(aStep("one", "/bin/true")).spec())
                .workerPlacedAndAssigned().stepRan("one", 0)
                .altering(payload -> payload instanceof JobCleanedUp ? null : payload)
                .workerReleased();

        CommandRun run = replay("replay-lacking");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out().lines().filter(line -> line.contains("! ")).toList()).containsExactly(
                "   ! sluice.job.events: now emits JobCleanedUp [replay-lacking], not recorded");
    }

    @Test
    void a_queue_timeout_is_replayed_as_the_deadline_timer_and_json_says_each_transition() throws Exception {
        new RecordingHarness(bus, "replay-timer", "node-c")
                .submitted(aJob().withQueueTimeout(1_000).spec())
                .deadlineCheck(Instant.now().plusSeconds(5))
                .workerWithdrawn();

        CommandRun run = replay("replay-timer", "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1).get("input").has("timer")).isTrue();
        assertThat(lines.get(1).get("before").get("stage").asText()).isEqualTo("WAITING_FOR_WORKER");
        assertThat(lines.get(1).get("after").get("outcome").asText()).isEqualTo("TIMED_OUT");
        assertThat(lines.get(1).get("emitted").findValuesAsText("type"))
                .containsExactly("JobFinished", "WorkerDemandWithdrawn");
        assertThat(lines.get(2).get("input").get("type").asText()).isEqualTo("WorkerFailed");
        assertThat(lines.get(2).get("after").get("stage").asText()).isEqualTo("CLEANED_UP");
        assertThat(lines.get(3).get("summary").get("differences").asInt()).isZero();
    }

    @Test
    void a_job_without_records_exits_3_saying_where_it_looked() {
        CommandRun run = replay("replay-never-submitted");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("no record of job 'replay-never-submitted' on "
                + bus.topicName(io.sluice.schemas.Topic.JOB_REQUESTS));
    }

    private static CommandRun replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(args));
        return CommandRun.on(scope, all.toArray(String[]::new));
    }
}
