package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.events.JobNetwork;
import io.sluice.events.JobOutcome;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobSnapshot;
import io.sluice.events.job.JobState;
import io.sluice.events.job.JobStateEnvelope;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.job.SpecProblem;
import io.sluice.events.job.StepStarted;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerDemandWithdrawn;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** job-service on the real broker and database, with the test playing the worker factory and the node runner. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobServiceFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobServiceHarness harness;

    @BeforeAll
    void start() {
        harness = new JobServiceHarness("job-flow", Map.of(
                "sluice.jobs.targets.gpu.privilege", "gpu-access",
                "sluice.jobs.owners.carol.privileges", List.of("gpu-access", "network:host"),
                "sluice.jobs.limits.labels", 2));
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void a_two_step_job_runs_to_cleaned_up_and_its_projection_history_and_snapshot_say_so() throws Exception {
        harness.submit("two-steps", aJob().withSteps(aStep("one", "/bin/true"), aStep("two", "/bin/true")).spec());
        WorkerDemanded demand = harness.bus.await(Topic.WORKER_DEMANDS, "two-steps", WorkerDemanded.class);
        assertThat(demand.getTarget()).isEqualTo("linux");
        assertThat(demand.getFirstLaunch().getProcess()).isEqualTo("one");
        harness.assignWorker("two-steps", "node-a");
        harness.bus.await(Topic.JOB_EVENTS, "two-steps", JobWorkerAssigned.class);
        harness.runStep("two-steps", "node-a", "one", 0);
        harness.bus.await(Topic.NODE_COMMANDS, "two-steps", LaunchProcess.class, l -> l.getProcess().equals("two"));
        harness.runStep("two-steps", "node-a", "two", 0);
        harness.bus.await(Topic.JOB_EVENTS, "two-steps", JobFinished.class);
        harness.releaseWorker("two-steps", "node-a");
        JobCleanedUp cleaned = harness.bus.await(Topic.JOB_EVENTS, "two-steps", JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, "two-steps")).containsExactly("JobAccepted", "JobQueued",
                "WorkerRequested", "JobPreparing", "JobWorkerAssigned", "StepStarted", "StepFinished", "StepStarted",
                "StepFinished", "JobFinished", "JobWorkerReleased", "JobCleanedUp");

        // The projection is written in the transaction that emitted the events: no waiting for it to catch up.
        HttpResponse<String> job = harness.get("/jobs/two-steps");
        assertThat(job.statusCode()).isEqualTo(200);
        assertThat(job.body()).contains("\"state\":\"SUCCEEDED\"", "\"cleanedUp\":\"20",
                "\"name\":\"two\",\"state\":\"SUCCEEDED\"", "\"exitCode\":0");
        // The history, page by page, each event in the record form `sluice events -o json` prints.
        JsonNode first = JSON.readTree(harness.get("/jobs/two-steps/events?limit=5").body());
        assertThat(first.get("events")).hasSize(5);
        assertThat(first.get("next").asText()).isEqualTo("5");
        JsonNode accepted = first.get("events").get(0);
        assertThat(accepted.get("topic").asText()).isEqualTo(harness.bus.topicName(Topic.JOB_EVENTS));
        assertThat(accepted.get("key").asText()).isEqualTo("two-steps");
        assertThat(accepted.get("type").asText()).isEqualTo("JobAccepted");
        assertThat(accepted.get("metadata").get("correlationId").asText()).isEqualTo("two-steps");
        assertThat(accepted.get("metadata").get("occurredAt").asText()).startsWith("20").endsWith("Z");
        assertThat(accepted.get("payload").get("spec").get("steps").get(1).get("name").asText()).isEqualTo("two");
        // In the schemas' field order, as the encoder wrote it (jsonb would have sorted the keys its own way).
        assertThat(accepted.toString()).startsWith("{\"topic\":\"" + harness.bus.topicName(Topic.JOB_EVENTS)
                + "\",\"partition\":null,\"offset\":null,\"timestamp\":null,\"key\":\"two-steps\",\"metadata\":{"
                + "\"eventId\":\"").contains("\",\"correlationId\":\"two-steps\",\"causationId\":\"",
                "\"type\":\"JobAccepted\",\"payload\":{\"jobId\":\"two-steps\",\"submittedAt\":\"20");
        List<String> types = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = JSON.readTree(harness.get("/jobs/two-steps/events?limit=5"
                    + (after == null ? "" : "&after=" + after)).body());
            page.get("events").forEach(event -> types.add(event.get("type").asText()));
            after = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (after != null);
        assertThat(types).containsExactlyElementsOf(harness.bus.payloadNames(Topic.JOB_EVENTS, "two-steps"));
        HttpResponse<String> tooMany = harness.get("/jobs/two-steps/events?limit=1001");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("limit: must be between 1 and 1000, got 1001");
        await().atMost(EventHarness.DEADLINE).untilAsserted(() -> {
            JobSnapshot last = lastSnapshotOf("two-steps");
            assertThat(last.getState()).isEqualTo(JobState.SUCCEEDED);
            assertThat(last.getCleanedUpAt()).isNotNull();
        });
    }

    @Test
    void a_failing_step_fails_the_job_with_its_exit_code_in_the_reason() {
        harness.submit("fails", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "fails", WorkerDemanded.class);
        harness.assignWorker("fails", "node-a");
        harness.runStep("fails", "node-a", "compile", 3);
        JobFinished finished = harness.bus.await(Topic.JOB_EVENTS, "fails", JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.getReason()).isEqualTo("step 'compile' exited with code 3");
    }

    @Test
    void a_first_step_reported_before_worker_assigned_runs_the_job_and_the_late_assignment_launches_nothing()
            throws Exception {
        harness.submit("early", aJob().withSteps(aStep("only", "/bin/true")).spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "early", WorkerDemanded.class);
        harness.placeWorker("early", "node-a");
        harness.bus.await(Topic.JOB_EVENTS, "early", JobPreparing.class);
        harness.startStep("early", "node-a", "only");
        harness.bus.await(Topic.JOB_EVENTS, "early", StepStarted.class);
        harness.assignWorker("early", "node-a");
        new ConsumerGroups(harness.scope, Map.of("job-service.workers", Topic.WORKER_EVENTS))
                .awaitConsumedToTheEnd(EventHarness.DEADLINE);
        harness.exitStep("early", "node-a", "only", 0);
        harness.releaseWorker("early", "node-a");

        assertThat(harness.bus.await(Topic.JOB_EVENTS, "early", JobCleanedUp.class).getOutcome())
                .isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, "early")).containsExactly("JobAccepted", "JobQueued",
                "WorkerRequested", "JobPreparing", "JobWorkerAssigned", "StepStarted", "StepFinished", "JobFinished",
                "JobWorkerReleased", "JobCleanedUp");
        assertThat(harness.bus.payloads(Topic.NODE_COMMANDS, "early", LaunchProcess.class)).isEmpty();
        await().atMost(EventHarness.DEADLINE).untilAsserted(() -> assertThat(harness.get("/jobs/early").body())
                .contains("\"state\":\"SUCCEEDED\"", "\"workerAssigned\":\"20"));
    }

    @Test
    void milestones_follow_causation_whatever_the_client_and_node_clocks_say() throws Exception {
        // The client's clock runs an hour ahead, the node's a minute behind: neither may reorder the milestones.
        harness.submitStamped("skewed", aJob().withSteps(aStep("only", "/bin/true")).spec(),
                Instant.now().plus(Duration.ofHours(1)));
        harness.bus.await(Topic.WORKER_DEMANDS, "skewed", WorkerDemanded.class);
        harness.assignWorker("skewed", "node-a");
        harness.bus.await(Topic.JOB_EVENTS, "skewed", JobWorkerAssigned.class);
        harness.startStep("skewed", "node-a", "only", Instant.now().minus(Duration.ofMinutes(1)));
        harness.exitStep("skewed", "node-a", "only", 0);
        harness.releaseWorker("skewed", "node-a");
        harness.bus.await(Topic.JOB_EVENTS, "skewed", JobCleanedUp.class);

        String body = harness.get("/jobs/skewed").body();
        List<Instant> milestones = Stream.of("submitted", "queued", "workerAssigned", "started", "finished",
                "cleanedUp").map(name -> milestone(body, name)).toList();
        assertThat(milestones).as(body).isSorted();
        assertThat(milestones.getFirst()).as("submitted, never after the acceptance").isBefore(Instant.now());
    }

    private static Instant milestone(String body, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(body);
        assertThat(matcher.find()).as(name + " in " + body).isTrue();
        return Instant.parse(matcher.group(1));
    }

    @Test
    void an_invalid_spec_is_rejected_naming_each_field_and_what_is_wrong() throws Exception {
        harness.submit("invalid", aJob().onTarget("mainframe").withSteps(aStep("bad name!", "/bin/true")).spec());
        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "invalid", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(p -> p.getField())
                .containsExactly("spec.target", "spec.steps[0].name");
        assertThat(rejected.getReason()).contains("unknown target 'mainframe'; known targets: gpu, linux");
        await().atMost(EventHarness.DEADLINE).untilAsserted(() ->
                assertThat(harness.get("/jobs/invalid").body()).contains("\"state\":\"REJECTED\""));
    }

    @Test
    void a_target_that_requires_a_privilege_is_refused_to_an_owner_without_it_and_granted_to_one_with_it() {
        harness.submit("gpu-alice", aJob().onTarget("gpu").ownedBy("alice").spec());
        harness.submit("gpu-carol", aJob().onTarget("gpu").ownedBy("carol").spec());
        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "gpu-alice", JobRejected.class);
        assertThat(rejected.getReason()).contains("spec.target: target 'gpu' requires privilege 'gpu-access'");
        assertThat(harness.bus.await(Topic.WORKER_DEMANDS, "gpu-carol", WorkerDemanded.class).getTarget())
                .isEqualTo("gpu");
    }

    @Test
    void the_host_network_is_refused_to_an_owner_without_its_privilege_naming_the_field() throws Exception {
        harness.submit("host-alice", JobSpec.newBuilder(aJob().ownedBy("alice").spec()).setNetwork(JobNetwork.HOST)
                .build());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "host-alice", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField, SpecProblem::getMessage)
                .containsExactly(tuple("spec.network", "the host's network requires privilege 'network:host', which "
                        + "the owner does not hold; leave network out for a network of the job's own"));
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, "host-alice")).containsExactly("JobRejected");
        assertThat(harness.bus.payloads(Topic.WORKER_DEMANDS, "host-alice", WorkerDemanded.class)).isEmpty();
        assertThat(harness.get("/jobs/host-alice").body()).contains("\"state\":\"REJECTED\"", "spec.network: ");
    }

    @Test
    void the_worker_demand_carries_the_host_network_of_a_privileged_owner_and_an_isolated_one_by_default() {
        harness.submit("host-carol", JobSpec.newBuilder(aJob().ownedBy("carol").spec()).setNetwork(JobNetwork.HOST)
                .build());
        harness.submit("isolated-carol", aJob().ownedBy("carol").spec());

        assertThat(harness.bus.await(Topic.WORKER_DEMANDS, "host-carol", WorkerDemanded.class).getNetwork())
                .isEqualTo(JobNetwork.HOST);
        assertThat(harness.bus.await(Topic.WORKER_DEMANDS, "isolated-carol", WorkerDemanded.class).getNetwork())
                .isEqualTo(JobNetwork.ISOLATED);
    }

    @Test
    void a_limit_the_operator_set_replaces_its_default() {
        harness.submit("three-labels", JobSpec.newBuilder(aJob().spec())
                .setLabels(Map.of("a", "1", "b", "2", "c", "3")).build());
        harness.submit("two-labels", JobSpec.newBuilder(aJob().spec()).setLabels(Map.of("a", "1", "b", "2")).build());

        assertThat(harness.bus.await(Topic.JOB_EVENTS, "three-labels", JobRejected.class).getReason())
                .isEqualTo("invalid job: spec.labels: 3 labels; at most 2");
        harness.bus.await(Topic.WORKER_DEMANDS, "two-labels", WorkerDemanded.class);
    }

    @Test
    void a_resubmission_is_a_no_op_and_a_different_job_under_a_taken_id_is_rejected_without_harm() {
        harness.submit("twice", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "twice", WorkerDemanded.class);
        harness.submit("twice", aJob().spec());
        harness.submit("twice", aJob().withSteps(aStep("other", "/bin/true")).spec());
        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "twice", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(p -> p.getField()).containsExactly("jobId");
        assertThat(harness.bus.payloads(Topic.WORKER_DEMANDS, "twice", WorkerDemanded.class)).hasSize(1);
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, "twice")).containsExactly("JobAccepted", "JobQueued",
                "WorkerRequested", "JobRejected");
    }

    @Test
    void a_job_cancelled_while_waiting_for_a_worker_withdraws_its_demand_and_closes_on_the_answer() {
        harness.submit("cancel-queued", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "cancel-queued", WorkerDemanded.class);
        harness.cancel("cancel-queued", "alice");
        harness.bus.await(Topic.WORKER_DEMANDS, "cancel-queued", WorkerDemandWithdrawn.class);
        harness.bus.send(Topic.WORKER_EVENTS, "cancel-queued", "cancel-queued", WorkerFailed.newBuilder()
                .setJobId("cancel-queued").setAttempt(1).setWorkerId(null).setNodeId(null)
                .setReason("demand withdrawn").build());
        JobCleanedUp cleaned = harness.bus.await(Topic.JOB_EVENTS, "cancel-queued", JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.CANCELLED);
    }

    @Test
    void a_job_that_gets_no_worker_within_its_queue_timeout_times_out() {
        harness.submit("queue-timeout", aJob().withQueueTimeout(300).spec());
        JobFinished finished = harness.bus.await(Topic.JOB_EVENTS, "queue-timeout", JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
        assertThat(finished.getReason()).isEqualTo("queue-timeout: no worker within 300 ms");
    }

    @Test
    void the_job_list_filters_by_state_owner_target_and_time_and_pages_summaries() throws Exception {
        for (int i = 0; i < 3; i++) {
            harness.submit("paged-" + i, aJob().ownedBy("pager").spec());
        }
        await().atMost(EventHarness.DEADLINE).untilAsserted(() -> assertThat(
                harness.get("/jobs?owner=pager&state=waiting_for_worker&limit=10").body())
                .contains("paged-0", "paged-1", "paged-2"));
        // The three requests sit on different partitions: the pages keep the order the projection saw them in.
        String first = harness.get("/jobs?owner=pager&limit=2").body();
        assertThat(first).contains("\"next\":\"");
        String next = first.replaceAll(".*\"next\":\"([0-9]+)\".*", "$1");
        String second = harness.get("/jobs?owner=pager&limit=2&after=" + next).body();
        assertThat(second).doesNotContain("\"next\"");
        for (String job : List.of("paged-0", "paged-1", "paged-2")) {
            assertThat(first.contains("\"" + job + "\"") ^ second.contains("\"" + job + "\""))
                    .as("%s is on exactly one page", job).isTrue();
        }
        // Summaries: how many steps, never the steps themselves (a 10,000-step job made a page of 794 KB).
        assertThat(first).contains("\"stepCount\":1").doesNotContain("\"steps\"");
        assertThat(harness.get("/jobs?owner=pager&target=linux&limit=10").body()).contains("paged-0", "paged-1",
                "paged-2");
        // An empty page is {} (the service's JSON leaves empty lists out).
        assertThat(harness.get("/jobs?owner=pager&target=gpu&limit=10").body()).isEqualTo("{}");
        assertThat(harness.get("/jobs?owner=pager&since=2999-01-01T00:00:00Z").body()).isEqualTo("{}");
        assertThat(harness.get("/jobs?owner=pager&since=2000-01-01T00:00:00Z").body()).contains("paged-0");
        HttpResponse<String> bad = harness.get("/jobs?limit=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("limit: must be between 1 and 500");
        List<String> oldestFirst = jobIds(harness.get("/jobs?owner=pager&limit=3").body());
        List<String> newestFirst = jobIds(harness.get("/jobs?owner=pager&order=newest&limit=3").body());
        assertThat(oldestFirst).hasSize(3);
        assertThat(newestFirst).containsExactlyElementsOf(oldestFirst.reversed());
        assertThat(harness.get("/jobs?order=sideways").body()).contains("order: must be oldest or newest");
        HttpResponse<String> badSince = harness.get("/jobs?since=yesterday");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(badSince.body()).contains("since: must be an ISO-8601 instant", "got 'yesterday'");
        assertThat(harness.get("/jobs/nope").statusCode()).isEqualTo(404);
    }

    private static List<String> jobIds(String page) {
        return java.util.regex.Pattern.compile("\"jobId\":\"([^\"]+)\"").matcher(page).results()
                .map(match -> match.group(1)).toList();
    }

    private JobSnapshot lastSnapshotOf(String jobId) {
        List<JobStateEnvelope> snapshots = harness.bus.envelopes(Topic.JOB_STATE);
        return snapshots.stream().filter(s -> s.getMetadata().getCorrelationId().equals(jobId))
                .map(s -> (JobSnapshot) s.getPayload()).reduce((a, b) -> b).orElseThrow();
    }
}
