package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.JobOutcome;
import io.sluice.events.SealedSecret;
import io.sluice.events.SecretRef;
import io.sluice.events.deadletter.DeadLetterEnvelope;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code sluice events} and {@code sluice trace} (the cli from its jar) on what the real services wrote for a real
 * two-step job with two resources (one with a sealed secret), plus three records job-service cannot read and
 * dead-letters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = "inspected";

    private SluiceSystem sluice;
    private int wholeRequestSize;

    @BeforeAll
    void runAJobAndDeadLetterThreeRecords() throws Exception {
        sluice = SluiceSystem.withWell("inspect", 1, Map.of("sluice.well.types.lab.provisioner", "semaphore",
                "sluice.well.types.token.provisioner", "token",
                "sluice.well.types.token.settings.issuer", "https://sluice.test"));
        sluice.submit(JOB, aJob().withResources("lab", "token").withSteps(aScript("one", "echo first step"),
                aScript("two", "echo second step; echo to stderr >&2")).spec());
        assertThat(sluice.bus.await(Topic.JOB_EVENTS, JOB, JobCleanedUp.class).getOutcome())
                .isEqualTo(JobOutcome.SUCCEEDED);
        // Records job-service cannot read, keyed by the job: bytes that are no Avro, and an event cut short.
        byte[] whole = EventCodec.<JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS).encode(
                sluice.bus.<JobRequestEnvelope>envelopes(Topic.JOB_REQUESTS).getFirst());
        sluice.bus.sendRaw(Topic.JOB_REQUESTS, JOB, "no avro here".getBytes(StandardCharsets.UTF_8));
        wholeRequestSize = whole.length;
        sluice.bus.sendRaw(Topic.JOB_REQUESTS, JOB, Arrays.copyOf(whole, whole.length - 5));
        // And an event of a schema no release shipped: the marker, then a fingerprint none has.
        byte[] unknown = whole.clone();
        Arrays.fill(unknown, 2, 10, (byte) 0x5a);
        sluice.bus.sendRaw(Topic.JOB_REQUESTS, JOB, unknown);
        Awaitility.await().atMost(EventHarness.DEADLINE).until(() -> sluice.bus.<DeadLetterEnvelope>envelopes(
                Topic.DEAD_LETTER).size() >= 3);
    }

    @AfterAll
    void stop() throws Exception {
        sluice.close();
    }

    @Test
    void events_decodes_every_topic_the_job_went_through_and_shows_dead_letters_and_undecodable_records()
            throws Exception {
        Cli json = cli("events", "-o", "json");
        assertThat(json.exit).as(json.err).isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : json.lines()) {
            records.add(JSON.readTree(line));
        }
        Set<String> decodedTopics = new TreeSet<>();
        records.stream().filter(record -> record.hasNonNull("type"))
                .forEach(record -> decodedTopics.add(record.get("topic").asText()));
        assertThat(decodedTopics).as("topics with a decoded record").containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Topic.values()).map(sluice.bus::topicName).toList());
        JsonNode accepted = records.stream().filter(record -> record.path("type").asText().equals("JobAccepted"))
                .findFirst().orElseThrow();
        assertThat(accepted.get("key").asText()).isEqualTo(JOB);
        assertThat(accepted.get("metadata").get("correlationId").asText()).isEqualTo(JOB);
        assertThat(accepted.get("metadata").get("producer").asText()).startsWith("job-service/");
        assertThat(accepted.get("payload").get("spec").get("steps").get(1).get("name").asText()).isEqualTo("two");
        List<JsonNode> undecodable = records.stream().filter(record -> record.has("undecodable")).toList();
        assertThat(undecodable).extracting(record -> record.get("topic").asText() + "@" + record.get("offset")
                + " " + record.get("size")).containsExactly(requests() + "@1 12", requests() + "@2 "
                + (wholeRequestSize - 5), requests() + "@3 " + wholeRequestSize);

        // The token's secret is sealed on the topic and printed sealed: its key and size, never the token.
        JsonNode granted = records.stream().filter(record -> record.path("type").asText().equals("ResourceGranted")
                && record.get("payload").get("resource").get("type").asText().equals("token")).findFirst()
                .orElseThrow();
        JsonNode secret = granted.get("payload").get("resource").get("secrets").get(0);
        assertThat(secret.get("name").asText()).isEqualTo("token");
        assertThat(secret.get("source").get("sealed").asBoolean()).isTrue();
        assertThat(secret.get("source").get("keyId").asText()).isEqualTo("e2e");
        assertThat(secret.get("source").get("ciphertextBytes").asInt()).isPositive();
        assertThat(secret.get("source").has("ciphertext")).isFalse();

        Cli text = cli("events");
        assertThat(text.exit).as(text.err).isZero();
        String token = clearToken();
        assertThat(token).startsWith("ey");
        assertThat(json.out).doesNotContain(token);
        assertThat(text.out).doesNotContain(token);
        String partition = "/" + records.stream().filter(record -> record.path("type").asText()
                .equals("JobSubmitted")).findFirst().orElseThrow().get("partition").asInt();
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + requests() + partition + "@1  " + JOB
                + "  UNDECODABLE cannot decode a value of topic sluice.job.requests: not single-object encoded: "
                + "expected the marker c3 01 and an 8-byte schema fingerprint, got 12 bytes starting 6e 6f 20"));
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + requests() + partition + "@2  " + JOB
                + "  UNDECODABLE cannot decode a value of topic sluice.job.requests: the body does not match the "
                + "schema io.sluice.events.job.JobRequestEnvelope") && line.endsWith("the body ends early (truncated?)"));
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + requests() + partition + "@3  " + JOB
                + "  UNDECODABLE cannot decode a value of topic sluice.job.requests: unknown schema fingerprint "
                + "[5a 5a 5a 5a 5a 5a 5a 5a]: none of the schema versions this module ships"));
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + JOB + "  DeadLetter of " + requests()
                + partition + "@1 consumer=job-service.requests error=UndecodableEventException: cannot decode")
                && line.contains(" | original: UNDECODABLE cannot decode a value of topic sluice.job.requests: "
                + "not single-object encoded"));
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + JOB
                + "  LogChunk step=one stream=STDOUT seq=0 \"first step\\n\""));
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + JOB
                + "  JobAccepted owner=alice name=build target=linux steps=2 resources=2"));
        assertThat(text.lines()).anyMatch(line -> line.contains("  " + sluice.nodeId
                + "  ProcessExited workerId=" + JOB + ".1 jobId=" + JOB + " process=two exitCode=0"));
        // Heartbeats come all the time; the job's events were all there for both runs.
        assertThat(text.lines()).filteredOn(line -> line.contains(sluice.bus.topicName(Topic.JOB_EVENTS) + "/"))
                .hasSize((int) records.stream().filter(record -> record.get("topic").asText()
                        .equals(sluice.bus.topicName(Topic.JOB_EVENTS))).count())
                .hasSize(sluice.bus.payloadNames(Topic.JOB_EVENTS, JOB).size());
    }

    @Test
    void events_of_one_job_on_one_topic_are_its_events_in_order_and_a_later_start_finds_none() throws Exception {
        Cli ofJob = cli("events", "job.events", "--job", JOB);
        assertThat(ofJob.exit).as(ofJob.err).isZero();
        assertThat(ofJob.lines()).extracting(line -> line.split("  ")[3].split(" ")[0])
                .containsExactlyElementsOf(sluice.bus.payloadNames(Topic.JOB_EVENTS, JOB));

        Cli fromOffset = cli("events", "sluice.job.events", "--partition", ofJob.lines().getFirst().split("  ")[1]
                .split("/")[1].split("@")[0], "--offset", "3", "--max", "2");
        assertThat(fromOffset.exit).as(fromOffset.err).isZero();
        assertThat(fromOffset.lines()).extracting(line -> line.split("  ")[1].split("@")[1]).containsExactly("3", "4");

        Cli later = cli("events", "job.events", "--since", Instant.now().plusSeconds(1).toString());
        assertThat(later.exit).as(later.err).isZero();
        assertThat(later.out).isEmpty();
        assertThat(later.err).contains("sluice events: no records on " + sluice.bus.topicName(Topic.JOB_EVENTS));

        // Following: the heartbeats the node sends from now on, until the first after --until (those already
        // there when the cli's JVM is up, then the new ones).
        Instant since = Instant.now();
        Instant until = since.plusSeconds(3);
        Cli followed = cli("events", "node.heartbeats", "--follow", "--since", since.toString(), "--until",
                until.toString());
        assertThat(followed.exit).as(followed.err).isZero();
        assertThat(followed.lines()).isNotEmpty().allSatisfy(line -> {
            assertThat(line).contains("  " + sluice.nodeId + "  NodeHeartbeat ");
            assertThat(Instant.parse(line.split("  ")[0])).isBetween(since, until);
        });

        Cli wrong = cli("events", "job.nothing");
        assertThat(wrong.exit).isEqualTo(2);
        assertThat(wrong.err).contains("TOPIC: 'job.nothing' is none of Sluice's topics");
    }

    @Test
    void trace_lists_the_job_s_records_in_causal_order_and_where_the_time_went() throws Exception {
        Cli json = cli("trace", JOB, "-o", "json");
        assertThat(json.exit).as(json.err).isZero();
        JsonNode trace = JSON.readTree(json.out);
        // Each record comes after its cause, one level under it: a depth-first walk of the causal tree.
        List<String> edges = new ArrayList<>();
        List<JsonNode> path = new ArrayList<>();
        for (JsonNode record : trace.get("records")) {
            int depth = record.get("depth").asInt();
            assertThat(depth).as("depth of %s", label(record)).isLessThanOrEqualTo(path.size());
            if (path.size() > depth) {
                // The record before it at its depth, under the same cause: siblings come in time order.
                assertThat(record.get("sinceSubmissionMillis").asLong()).as(label(record)).isGreaterThanOrEqualTo(
                        path.get(depth).get("sinceSubmissionMillis").asLong());
            }
            path.subList(depth, path.size()).clear();
            if (depth > 0) {
                JsonNode cause = path.getLast();
                assertThat(record.get("record").get("metadata").get("causationId").asText())
                        .isEqualTo(cause.get("record").get("metadata").get("eventId").asText());
                assertThat(record.get("sinceCauseMillis").asLong()).isEqualTo(
                        record.get("sinceSubmissionMillis").asLong() - cause.get("sinceSubmissionMillis").asLong());
                edges.add(label(cause) + " -> " + label(record));
            }
            path.add(record);
        }
        assertThat(edges).contains(
                "JobSubmitted -> ResourceDemanded", "ResourceDemanded -> ResourceGranted",
                "ResourceGranted -> WorkerDemanded", "WorkerDemanded -> WorkerPreparing",
                "WorkerPreparing -> JobPreparing", "WorkerDemanded -> PrepareWorker",
                "PrepareWorker -> WorkerPrepared", "WorkerPrepared -> WorkerAssigned",
                "WorkerAssigned -> JobWorkerAssigned", "WorkerDemanded -> LaunchProcess one",
                "LaunchProcess one -> ProcessStarted one", "ProcessStarted one -> StepStarted one",
                "LaunchProcess one -> ProcessExited one", "ProcessExited one -> LaunchProcess two",
                "LaunchProcess two -> ProcessStarted two", "ProcessStarted two -> StepStarted two",
                "LaunchProcess two -> ProcessExited two", "ProcessExited two -> StepFinished two",
                "ProcessExited two -> WorkerReleaseRequested", "WorkerReleaseRequested -> DestroyWorker",
                "DestroyWorker -> WorkerDestroyed", "WorkerDestroyed -> WorkerReleased",
                "WorkerReleased -> ResourceReleaseRequested", "ResourceReleaseRequested -> ResourceReleased",
                "ResourceReleased -> JobCleanedUp");
        assertThat(edges).contains("ProcessExited one -> StepFinished one", "ProcessExited two -> JobFinished",
                "WorkerReleased -> JobWorkerReleased", "ResourceGranted -> ResourceAcquired",
                "ResourceGranted -> WorkerRequested", "JobSubmitted -> JobAccepted", "JobSubmitted -> JobQueued");
        assertThat(trace.get("records").get(0).get("record").get("type").asText()).isEqualTo("JobSubmitted");
        assertThat(trace.get("records")).filteredOn(record -> label(record).equals("DeadLetter")).hasSize(3);
        assertThat(trace.get("undecodableCount").asInt()).isEqualTo(3);
        assertThat(trace.get("logChunks").toString()).contains(
                "{\"process\":\"one\",\"stream\":\"STDOUT\",\"chunks\":1,\"bytes\":11}",
                "{\"process\":\"two\",\"stream\":\"STDERR\",\"chunks\":1,\"bytes\":10}");

        // The phases add up to the time from submission to JobCleanedUp, each bounded by its events.
        JsonNode summary = trace.get("summary");
        assertThat(summary.get("phases")).extracting(phase -> phase.get("name").asText()).containsExactly(
                "queue", "resources", "placement", "prepare", "start", "run", "cleanup");
        long sum = 0;
        for (JsonNode phase : summary.get("phases")) {
            assertThat(phase.get("millis").isNull()).as(phase.toString()).isFalse();
            assertThat(phase.get("millis").asLong()).as(phase.toString()).isNotNegative();
            sum += phase.get("millis").asLong();
        }
        long cleanedUp = sinceSubmission(trace, "JobCleanedUp");
        assertThat(summary.get("totalMillis").asLong()).isEqualTo(sum).isEqualTo(cleanedUp).isPositive();
        assertThat(summary.get("phases").get(5).get("millis").asLong()).isEqualTo(
                sinceSubmission(trace, "ProcessExited two") - sinceSubmission(trace, "ProcessStarted one"));

        Cli text = cli("trace", JOB);
        assertThat(text.exit).as(text.err).isZero();
        assertThat(text.lines().getFirst()).startsWith("job " + JOB + ", submitted " + trace.get("submittedAt")
                .asText());
        assertThat(text.lines().get(1)).matches(" +\\+0\\.000s +test +JobSubmitted owner=alice name=build target=linux "
                + "steps=2 resources=2  \\(" + java.util.regex.Pattern.quote(requests()) + "/\\d+@0\\)");
        assertThat(text.lines()).anyMatch(line -> line.matches(" +\\+\\d+\\.\\d{3}s +\\(\\+\\d+\\.\\d{3}s\\) +job-service"
                + " {7}JobAccepted owner=alice .*"));
        assertThat(text.lines()).anyMatch(line -> line.startsWith("log chunks (sluice logs " + JOB
                + " prints them): one stdout 1 chunk, 11 bytes; "));
        assertThat(text.lines()).contains("3 record(s) keyed by the job cannot be decoded:", "where the time went:");
        assertThat(text.lines()).anyMatch(line -> line.matches("  queue +[0-9.]+ m?s  submission -> JobQueued: .*"));
        assertThat(text.lines()).anyMatch(line -> line.matches("  cleanup +[0-9.]+ m?s  last ProcessExited -> "
                + "JobCleanedUp: .*"));
        assertThat(text.lines().getLast()).matches("  total +[0-9.]+ m?s  submission -> JobCleanedUp");

        Cli none = cli("trace", "no-such-job");
        assertThat(none.exit).isEqualTo(3);
        assertThat(none.out).isEmpty();
        assertThat(none.err).contains("sluice trace: no record of job no-such-job on " + requests() + ", ");
    }

    /** The token the well granted the job, opened with the key the node runner holds. */
    private String clearToken() throws Exception {
        SecretSealer keys = new SecretSealer(SecretKeyRing.of(
                Map.of("e2e", sluice.secretKey.get("sluice.secrets.keys.e2e")), "e2e"));
        ResourceGranted grant = sluice.bus.payloads(Topic.RESOURCE_EVENTS, JOB, ResourceGranted.class).stream()
                .filter(granted -> granted.getResource().getType().equals("token")).findFirst().orElseThrow();
        SecretRef secret = grant.getResource().getSecrets().getFirst();
        return keys.open(grant.getResource().getResourceId(), secret.getName(), (SealedSecret) secret.getSource());
    }

    private String requests() {
        return sluice.bus.topicName(Topic.JOB_REQUESTS);
    }

    /** A record of the trace by its type, and the process or step it is about. */
    private static String label(JsonNode traced) {
        JsonNode record = traced.get("record");
        JsonNode payload = record.get("payload");
        String about = payload.has("process") ? payload.get("process").asText()
                : payload.has("stepName") ? payload.get("stepName").asText() : null;
        return record.get("type").asText() + (about == null ? "" : " " + about);
    }

    private static long sinceSubmission(JsonNode trace, String label) {
        for (JsonNode record : trace.get("records")) {
            if (label(record).equals(label)) {
                return record.get("sinceSubmissionMillis").asLong();
            }
        }
        throw new AssertionError("no " + label + " in the trace");
    }

    /** What the cli printed and its exit code. */
    private record Cli(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    private Cli cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of("..", "cli", "target", "sluice-cli.jar").toAbsolutePath().normalize()
                .toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-servers", sluice.scope.bootstrapServers(), "--topic-prefix",
                sluice.scope.topicPrefix()));
        Path err = java.nio.file.Files.createTempFile("sluice-cli", ".err");
        Process cli = new ProcessBuilder(command).redirectError(err.toFile()).start();
        cli.getOutputStream().close();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = cli.waitFor();
        String errors = java.nio.file.Files.readString(err);
        java.nio.file.Files.delete(err);
        return new Cli(exit, out, errors);
    }
}
