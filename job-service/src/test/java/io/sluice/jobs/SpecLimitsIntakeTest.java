package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.sluice.events.InputFile;
import io.sluice.events.JobSpec;
import io.sluice.events.ResourceRequest;
import io.sluice.events.StepSpec;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.job.SpecProblem;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import io.sluice.testing.TestOwners;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every part of a job is bounded at intake with the default limits: a job over one limit is rejected naming the
 * field and the limit, and nothing else happens to it; a job exactly at the limits runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpecLimitsIntakeTest {

    private static final int KIB = 1024;
    private static final String LONG_TARGET = "t".repeat(64);
    private static final String LONG_TYPE = "r".repeat(64);
    private static final List<String> TYPES = IntStream.range(0, 33).mapToObj(i -> String.format("type-%02d", i))
            .toList();

    private static final String OWNER_AT_LIMIT = "o".repeat(128);
    private static final String OWNER_OVER_LIMIT = "o".repeat(129);
    private static final String OWNER_FAR_OVER_LIMIT = randomLetters(5_000);

    private JobServiceHarness harness;

    @BeforeAll
    void start() throws Exception {
        Map<String, Object> properties = new HashMap<>(Map.of("sluice.jobs.targets." + LONG_TARGET + ".aliases",
                List.of("long")));
        // Owners are checked after their signatures: the owners of these tests hold registered keys.
        for (String owner : List.of(OWNER_AT_LIMIT, OWNER_OVER_LIMIT, OWNER_FAR_OVER_LIMIT)) {
            properties.put("sluice.jobs.owners." + owner + ".public-keys", TestOwners.keyOf(owner).publicKeyText());
        }
        harness = new JobServiceHarness("spec-limits", properties);
        TYPES.forEach(type -> harness.declareResourceType(type, null));
        harness.declareResourceType(LONG_TYPE, null);
        // The table appears once the service has migrated its schema, which it does after it started.
        await().atMost(EventHarness.DEADLINE).ignoreExceptions()
                .until(() -> count("SELECT count(*) FROM job_service.resource_type") == TYPES.size() + 1);
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    /** A job over one limit: the field and the message intake must answer with. */
    record OverLimit(String jobId, JobSpec spec, String field, String message) {
        @Override
        public String toString() {
            return jobId;
        }
    }

    Stream<OverLimit> jobsOverOneLimit() {
        return Stream.of(
                new OverLimit("too-many-steps", job().setSteps(steps(10_000, i -> aStep("s" + i, "/bin/true")))
                        .build(), "spec.steps", "10,000 steps; at most 256"),
                new OverLimit("too-many-arguments", withStep(aStep("compile", argv(4_097))),
                        "spec.steps[0].argv", "4,097 arguments; at most 4,096"),
                new OverLimit("long-argument", withStep(aStep("compile", "/bin/echo", "a".repeat(64 * KIB + 1))),
                        "spec.steps[0].argv[1]", "65,537 bytes; at most 65,536"),
                new OverLimit("long-env-value", withStep(env(Map.of("BIG", "x".repeat(64 * KIB + 1)))),
                        "spec.steps[0].env.BIG", "65,537 bytes; at most 65,536"),
                // Multi-byte characters count as the bytes exec sees: 32,769 two-byte characters.
                new OverLimit("wide-env-value", withStep(env(Map.of("WIDE", "é".repeat(32 * KIB + 1)))),
                        "spec.steps[0].env.WIDE", "65,538 bytes; at most 65,536"),
                new OverLimit("too-much-for-exec", withStep(env(variables(5, 60_000))), "spec.steps[0]",
                        "300,030 bytes of arguments and environment together; at most 262,144"),
                new OverLimit("too-many-variables", withStep(env(variables(1_025, 1))), "spec.steps[0].env",
                        "1,025 variables; at most 1,024"),
                new OverLimit("long-variable-name", withStep(env(Map.of("N".repeat(257), "x"))),
                        "spec.steps[0].env." + "N".repeat(48) + "...",
                        "the variable's name is 257 characters; at most 256"),
                new OverLimit("long-script", withStep(aScript("compile", "#".repeat(64 * KIB + 1))),
                        "spec.steps[0].script", "65,537 bytes; at most 65,536"),
                new OverLimit("too-many-inputs", job().setInputs(inputs(1_025)).build(), "spec.inputs",
                        "1,025 inputs; at most 1,024"),
                new OverLimit("long-input-path", job().setInputs(List.of(input("p".repeat(1_025),
                        "https://example.org/f"))).build(), "spec.inputs[0].path", "1,025 characters; at most 1,024"),
                new OverLimit("long-input-uri", job().setInputs(List.of(input("f", "https://example.org/"
                        + "u".repeat(4_097 - 20)))).build(), "spec.inputs[0].fetchUri",
                        "4,097 characters; at most 4,096"),
                new OverLimit("too-many-labels", job().setLabels(labels(65, 1, 1)).build(), "spec.labels",
                        "65 labels; at most 64"),
                new OverLimit("long-label-name", job().setLabels(Map.of("k".repeat(129), "v")).build(),
                        "spec.labels." + "k".repeat(48) + "...", "the label's name is 129 characters; at most 128"),
                new OverLimit("long-label-value", job().setLabels(Map.of("team", "v".repeat(1_025))).build(),
                        "spec.labels.team", "1,025 characters; at most 1,024"),
                new OverLimit("too-many-resources", job().setResources(resources(TYPES)).build(), "spec.resources",
                        "33 resources; at most 32"),
                new OverLimit("long-job-name", job().setName("n".repeat(257)).build(), "spec.name",
                        "257 characters; at most 256"),
                new OverLimit("long-step-name", withStep(aStep("s".repeat(65), "/bin/true")), "spec.steps[0].name",
                        "65 characters; at most 64 (it names the step's log files)"),
                new OverLimit("long-owner", job().setOwner(OWNER_OVER_LIMIT).build(), "spec.owner",
                        "129 characters; at most 128"),
                new OverLimit("long-target", job().setTarget("t".repeat(65)).build(), "spec.target",
                        "65 characters; at most 64"),
                new OverLimit("long-resource-type", job().setResources(resources(List.of("r".repeat(65)))).build(),
                        "spec.resources[0].type", "65 characters; at most 64"),
                new OverLimit("long-store-name", job().setPersistentStore("p".repeat(65)).build(),
                        "spec.persistentStore", "65 characters; at most 64 (it names a directory on the node)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobsOverOneLimit")
    void a_job_over_one_limit_is_rejected_naming_the_field_and_the_limit_and_nothing_else_happens(OverLimit job)
            throws Exception {
        harness.submit(job.jobId(), job.spec());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, job.jobId(), JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField, SpecProblem::getMessage)
                .containsExactly(tuple(job.field(), job.message()));
        assertNothingElseHappened(job.jobId(), job.field() + ": " + job.message());
    }

    @Test
    void the_ten_thousand_step_job_of_the_issue_is_rejected_and_its_rejection_stays_small() throws Exception {
        harness.submit("ten-thousand", job().setSteps(steps(10_000, i -> aStep("step-" + i, "/bin/true"))).build());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "ten-thousand", JobRejected.class);
        assertThat(rejected.getReason()).isEqualTo("invalid job: spec.steps: 10,000 steps; at most 256");
        assertThat(harness.bus.payloads(Topic.JOB_EVENTS, "ten-thousand", JobAccepted.class)).isEmpty();
        assertNothingElseHappened("ten-thousand", "spec.steps: 10,000 steps; at most 256");
    }

    @Test
    void a_one_megabyte_environment_value_is_rejected_at_intake_not_at_exec() throws Exception {
        harness.submit("megabyte-env", withStep(env(Map.of("BIG", "x".repeat(1_000_000)))));

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "megabyte-env", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField)
                .containsExactly("request", "spec.steps[0].env.BIG", "spec.steps[0]");
        assertThat(rejected.getProblems().get(1).getMessage()).isEqualTo("1,000,000 bytes; at most 65,536");
        assertThat(rejected.getProblems().get(2).getMessage())
                .isEqualTo("1,000,015 bytes of arguments and environment together; at most 262,144");
        assertThat(rejected.getReason()).hasSizeLessThan(400);
        assertNothingElseHappened("megabyte-env", "spec.steps[0].env.BIG: 1,000,000 bytes; at most 65,536");
    }

    @Test
    void a_request_over_its_encoded_size_is_rejected_and_one_exactly_at_it_runs() throws Exception {
        JobRequestEnvelope over = requestOfSize("request-over", 512 * KIB + 1);
        JobRequestEnvelope at = requestOfSize("request-at", 512 * KIB);

        harness.bus.sendEnvelopeSigned("alice", Topic.JOB_REQUESTS, "request-over", over);
        harness.bus.sendEnvelopeSigned("alice", Topic.JOB_REQUESTS, "request-at", at);

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "request-over", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField, SpecProblem::getMessage)
                .containsExactly(tuple("request", "524,289 bytes (the encoded request); at most 524,288"));
        assertNothingElseHappened("request-over", "request: 524,289 bytes (the encoded request); at most 524,288");
        harness.bus.await(Topic.JOB_EVENTS, "request-at", JobAccepted.class);
        harness.bus.await(Topic.WORKER_DEMANDS, "request-at", WorkerDemanded.class);
    }

    @Test
    void a_job_id_over_its_length_is_rejected_quoting_only_its_start() throws Exception {
        String jobId = randomLetters(10_000);
        harness.submit(jobId, aJob().spec());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, jobId, JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField).containsExactly("jobId");
        assertThat(rejected.getProblems().getFirst().getMessage())
                .endsWith("got '" + jobId.substring(0, 48) + "...' (10,000 characters)");
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, jobId)).containsExactly("JobRejected");
        assertThat(harness.bus.payloads(Topic.WORKER_DEMANDS, jobId, WorkerDemanded.class)).isEmpty();
        // No job can have that id: there is nothing to look up, and the service goes on taking jobs.
        assertThat(harness.get("/jobs/" + jobId.substring(0, 100)).statusCode()).isEqualTo(404);
        harness.submit("after-long-id", aJob().spec());
        harness.bus.await(Topic.WORKER_DEMANDS, "after-long-id", WorkerDemanded.class);
    }

    @Test
    void an_owner_far_over_its_length_is_rejected_and_projected_with_only_its_start() throws Exception {
        String owner = OWNER_FAR_OVER_LIMIT;
        harness.submit("long-random-owner", job().setOwner(owner).build());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "long-random-owner", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField, SpecProblem::getMessage)
                .containsExactly(tuple("spec.owner", "5,000 characters; at most 128"));
        assertThat(rejected.getOwner()).isEqualTo(owner.substring(0, 512) + "...");
        assertNothingElseHappened("long-random-owner", "spec.owner: 5,000 characters; at most 128");
    }

    @Test
    void names_counts_labels_and_inputs_exactly_at_their_limits_are_accepted() {
        String owner = OWNER_AT_LIMIT;
        JobSpec spec = job().setOwner(owner).setName("n".repeat(256)).setTarget(LONG_TARGET)
                .setSteps(steps(256, i -> aStep(String.format("%064d", i), "/bin/true")))
                .setLabels(labels(64, 128, 1_024)).setPersistentStore("p".repeat(64))
                .setResources(resources(Stream.concat(TYPES.stream().limit(31), Stream.of(LONG_TYPE)).toList()))
                .setInputs(Stream.concat(inputs(1_023).stream(), Stream.of(input("p".repeat(1_024),
                        "https://example.org/" + "u".repeat(4_096 - 20)))).toList())
                .build();

        harness.submit("names-at-limits", spec);

        JobAccepted accepted = harness.bus.await(Topic.JOB_EVENTS, "names-at-limits", JobAccepted.class);
        assertThat(accepted.getSpec().getInputs()).hasSize(1_024);
        ResourceDemanded first = harness.bus.await(Topic.RESOURCE_DEMANDS, "names-at-limits",
                ResourceDemanded.class);
        assertThat(first.getResourceType()).isEqualTo("r".repeat(64));
        assertThat(first.getOwner()).isEqualTo(owner);
    }

    @Test
    void arguments_environment_and_script_exactly_at_their_limits_are_accepted() {
        Map<String, String> atVariableLimits = variables(1_023, 1);
        atVariableLimits.put("N".repeat(256), "v".repeat(64 * KIB));
        // 10 bytes of "/bin/true" and four variables of "En=" and a value, each with its terminating NUL.
        Map<String, String> atExecLimit = new LinkedHashMap<>();
        List.of(64 * KIB, 64 * KIB, 64 * KIB, 262_144 - 10 - 4 * 4 - 3 * 64 * KIB)
                .forEach(size -> atExecLimit.put("E" + atExecLimit.size(), "x".repeat(size)));
        JobSpec spec = job().setSteps(List.of(
                        aStep("arguments", argv(4_096)),
                        aStep("long-argument", "/bin/echo", "a".repeat(64 * KIB)),
                        StepSpec.newBuilder(aStep("environment", "/bin/true")).setEnv(atVariableLimits).build(),
                        aScript("script", "#".repeat(64 * KIB)),
                        StepSpec.newBuilder(aStep("exec", "/bin/true")).setEnv(atExecLimit).build()))
                .build();

        harness.submit("exec-at-limits", spec);

        harness.bus.await(Topic.JOB_EVENTS, "exec-at-limits", JobAccepted.class);
        WorkerDemanded demand = harness.bus.await(Topic.WORKER_DEMANDS, "exec-at-limits", WorkerDemanded.class);
        assertThat(demand.getFirstLaunch().getArgv()).hasSize(4_096);
    }

    private void assertNothingElseHappened(String jobId, String reasonPart) throws Exception {
        assertThat(harness.bus.payloadNames(Topic.JOB_EVENTS, jobId)).containsExactly("JobRejected");
        assertThat(harness.bus.payloads(Topic.RESOURCE_DEMANDS, jobId, ResourceDemanded.class)).isEmpty();
        assertThat(harness.bus.payloads(Topic.WORKER_DEMANDS, jobId, WorkerDemanded.class)).isEmpty();
        // The projection is written in the transaction of the rejection.
        HttpResponse<String> view = harness.get("/jobs/" + jobId);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("\"state\":\"REJECTED\"", reasonPart);
    }

    /** A submission padded (in one step's environment) until its encoding is exactly {@code bytes} long. */
    private JobRequestEnvelope requestOfSize(String jobId, int bytes) {
        // Three steps stay under the per-step limits; the last one's value absorbs the difference.
        Map<String, String> full = variables(4, 60_000);
        JobRequestEnvelope request = null;
        int padding = 10_000;
        for (int round = 0; round < 3; round++) {
            JobSpec spec = job().setSteps(List.of(
                    StepSpec.newBuilder(aStep("one", "/bin/true")).setEnv(full).build(),
                    StepSpec.newBuilder(aStep("two", "/bin/true")).setEnv(full).build(),
                    StepSpec.newBuilder(aStep("three", "/bin/true")).setEnv(Map.of("PAD", "x".repeat(padding)))
                            .build())).build();
            request = Envelopes.envelope(Topic.JOB_REQUESTS, Envelopes.metadata(UUID.randomUUID(), Instant.now(),
                    jobId, null, "test/spec-limits"), JobSubmitted.newBuilder().setJobId(jobId).setSpec(spec).build());
            padding += bytes - EventCodec.forTopic(Topic.JOB_REQUESTS).encode(request).length;
        }
        assertThat(EventCodec.forTopic(Topic.JOB_REQUESTS).encode(request)).hasSize(bytes);
        return request;
    }

    /** Letters PostgreSQL cannot compress below what one index entry holds. */
    private static String randomLetters(int count) {
        return new Random(24).ints(count, 'a', 'z' + 1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
    }

    private static JobSpec.Builder job() {
        return JobSpec.newBuilder(aJob().spec());
    }

    private static JobSpec withStep(StepSpec step) {
        return job().setSteps(List.of(step)).build();
    }

    private static StepSpec env(Map<String, String> env) {
        return StepSpec.newBuilder(aStep("compile", "/bin/true")).setEnv(env).build();
    }

    private static List<StepSpec> steps(int count, IntFunction<StepSpec> step) {
        return IntStream.range(0, count).mapToObj(step).toList();
    }

    private static String[] argv(int count) {
        String[] argv = new String[count];
        argv[0] = "/bin/echo";
        for (int i = 1; i < count; i++) {
            argv[i] = "a";
        }
        return argv;
    }

    /** {@code count} variables V0, V1, ... of {@code size} bytes each, in a map one may add to. */
    private static Map<String, String> variables(int count, int size) {
        Map<String, String> env = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> env.put("V" + i, "x".repeat(size)));
        return env;
    }

    private static Map<String, String> labels(int count, int keyLength, int valueLength) {
        Map<String, String> labels = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> labels.put(
                String.format("%0" + keyLength + "d", i), "v".repeat(valueLength)));
        return labels;
    }

    private static List<InputFile> inputs(int count) {
        return IntStream.range(0, count).mapToObj(i -> input("in/" + i, "https://example.org/" + i)).toList();
    }

    private static InputFile input(String path, String uri) {
        return InputFile.newBuilder().setSha256("0".repeat(64)).setFetchUri(uri).setPath(path).setExecutable(false)
                .setSizeBytes(null).build();
    }

    private static List<ResourceRequest> resources(List<String> types) {
        return types.stream().map(type -> ResourceRequest.newBuilder().setType(type).setParameters(Map.of())
                .build()).toList();
    }

    private long count(String sql) throws Exception {
        try (Connection connection = harness.scope.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
