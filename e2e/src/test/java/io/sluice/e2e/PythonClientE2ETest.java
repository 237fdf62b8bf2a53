package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobRequestRefused;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import io.sluice.testing.TestOwners;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Python recipe of docs/clients.md (docs/clients/python/submit_and_follow.py, run with Debian's python3,
 * python3-avro, python3-cryptography and python3-kafka) submits a signed job to a running Sluice on a
 * secured broker as the user principal and follows sluice.job.events to the job's end; the Go recipe
 * (docs/clients/go, against Debian's golang-go and goavro) decodes the events the services wrote for such a job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonClientE2ETest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("../docs/clients/python/submit_and_follow.py");
    private static final Path GO_RECIPE = Path.of("../docs/clients/go");
    private static final Path RELEASED = Path.of("../schemas/src/main/resources/io/sluice/schemas/released");
    /** The script's own deadline for the job's end; the process gets a minute more. */
    private static final int JOB_TIMEOUT_SECONDS = 180;

    private SluiceSystem sluice;
    private Path directory;
    private Path kafkaConfig;

    @BeforeAll
    void start() throws Exception {
        assertThat(Path.of(PYTHON)).as("Debian's python3 (apt-get install python3-avro python3-cryptography "
                + "python3-kafka)").exists();
        assertThat(SCRIPT).exists();
        sluice = SluiceSystem.secured("python-client", 1, null);
        directory = Files.createTempDirectory("sluice-python-client");
        kafkaConfig = userClientProperties(directory.resolve("user.kafka.properties"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (sluice != null) {
                sluice.close();
            }
        } finally {
            if (directory != null) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    void the_python_recipe_submits_a_signed_job_and_sees_it_succeed() throws Exception {
        Result result = submitAndFollow("alice", keyFile("alice"), "py-hello",
                "hello=echo hello from python", "count=echo one; echo two");

        assertThat(result.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", result.out(), result.err()).isZero();
        assertThat(result.out()).contains("submitted py-hello as alice (key " + TestOwners.keyOf("alice").keyId() + ")")
                .contains("JobAccepted").contains("JobWorkerAssigned")
                .containsPattern("StepFinished stepIndex=0, stepName=hello, succeeded=True, exitCode=0,")
                .containsPattern("StepFinished stepIndex=1, stepName=count, succeeded=True, exitCode=0,")
                .endsWith("JobCleanedUp outcome=SUCCEEDED\njob py-hello SUCCEEDED\n");
        // The step really ran under the node runner: the services saw it end, and its output is on sluice.job.logs.
        assertThat(sluice.bus.await(Topic.JOB_EVENTS, "py-hello", JobCleanedUp.class).getOutcome())
                .isEqualTo(JobOutcome.SUCCEEDED);
        await().atMost(EventHarness.DEADLINE).untilAsserted(() -> {
            assertThat(sluice.output("py-hello", "hello", "STDOUT")).isEqualTo("hello from python\n");
            assertThat(sluice.output("py-hello", "count", "STDOUT")).isEqualTo("one\ntwo\n");
        });
    }

    @Test
    void the_python_recipe_sees_a_failing_step_fail_the_job_and_exits_1() throws Exception {
        Result result = submitAndFollow("alice", keyFile("alice"), "py-fails", "boom=echo about to fail; exit 3");

        assertThat(result.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", result.out(), result.err())
                .isEqualTo(1);
        assertThat(result.out()).contains("StepFinished stepIndex=0, stepName=boom, succeeded=False, exitCode=3,")
                .containsPattern("JobFinished outcome=FAILED, .*failedStep=boom, exitCode=3")
                .endsWith("job py-fails FAILED\n");
        JobFinished finished = sluice.bus.await(Topic.JOB_EVENTS, "py-fails", JobFinished.class);
        assertThat(finished.getOutcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(finished.getExitCode()).isEqualTo(3);
    }

    @Test
    void a_request_the_python_recipe_signs_with_a_key_registered_for_no_owner_is_refused() throws Exception {
        Result result = submitAndFollow("alice", keyFile("mallory"), "py-refused", "hello=echo never runs");

        assertThat(result.exitCode()).as("exit code; stdout:%n%s%nstderr:%n%s", result.out(), result.err())
                .isEqualTo(1);
        assertThat(result.out()).contains("JobRequestRefused").doesNotContain("JobAccepted")
                .endsWith("job py-refused REFUSED\n");
        JobRequestRefused refused = sluice.bus.await(Topic.JOB_EVENTS, "py-refused", JobRequestRefused.class);
        assertThat(result.out()).contains("reason=" + refused.getReason());
        assertThat(sluice.bus.payloadNames(Topic.JOB_EVENTS, "py-refused")).containsExactly("JobRequestRefused");
    }

    @Test
    void the_go_recipe_decodes_every_event_the_services_wrote_for_the_python_job() throws Exception {
        assertThat(Path.of("/usr/bin/go")).as("Debian's golang-go and golang-github-linkedin-goavro-dev").exists();
        Result python = submitAndFollow("alice", keyFile("alice"), "py-for-go", "hello=echo decoded in go");
        assertThat(python.exitCode()).as("python exit code; stderr: %s", python.err()).isZero();
        List<String> values = new ArrayList<>();
        for (var record : sluice.scope.topicReader().readAll(sluice.bus.topicName(Topic.JOB_EVENTS))) {
            if ("py-for-go".equals(new String(record.key(), StandardCharsets.UTF_8))) {
                values.add(Files.write(directory.resolve("event-" + values.size() + ".bin"), record.value()).toString());
            }
        }
        List<String> command = new ArrayList<>(List.of(GO_RECIPE.resolve("with-debian-packages").toString(), "go",
                "run", "./cmd/decode-event", RELEASED.toAbsolutePath().toString(), Topic.JOB_EVENTS.topicName()));
        command.addAll(values);

        Result go = run(command, "decode-event");

        assertThat(go.exitCode()).as("go exit code; stderr: %s", go.err()).isZero();
        List<String> lines = go.out().lines().toList();
        assertThat(lines).extracting(line -> line.substring(0, line.indexOf(' ')))
                .containsExactlyElementsOf(sluice.bus.payloadNames(Topic.JOB_EVENTS, "py-for-go"));
        assertThat(lines.getLast()).isEqualTo("JobCleanedUp {\"jobId\":\"py-for-go\",\"outcome\":\"SUCCEEDED\"}");
    }

    /** The user principal's login as `sluice dev` writes it: a Java client properties file, 0600. */
    private Path userClientProperties(Path file) throws IOException {
        Properties properties = new Properties();
        properties.putAll(sluice.scope.clientProperties());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sluice.scope.bootstrapServers());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "the user principal of the test's secured broker");
        }
        return file;
    }

    private Path keyFile(String owner) throws IOException {
        Path file = directory.resolve(owner + "-key.pem");
        if (!Files.exists(file)) {
            TestOwners.keyOf(owner).writeTo(file);
        }
        return file;
    }

    private Result submitAndFollow(String owner, Path key, String jobId, String... steps) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), "--kafka-config",
                kafkaConfig.toString(), "--topic-prefix", sluice.scope.topicPrefix(), "--owner", owner,
                "--owner-key", key.toString(), "--job-id", jobId, "--timeout", String.valueOf(JOB_TIMEOUT_SECONDS)));
        for (String step : steps) {
            command.add("--step");
            command.add(step);
        }
        Result result = run(command, jobId);
        // What the recipe printed, in the test's log: docs/clients.md shows a run of it.
        System.out.printf("submit_and_follow.py for %s, exit code %d:%n%s", jobId, result.exitCode(), result.out());
        return result;
    }

    private Result run(List<String> command, String name) throws Exception {
        Path out = directory.resolve(name + ".out");
        Path err = directory.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            assertThat(process.waitFor(JOB_TIMEOUT_SECONDS + 60, TimeUnit.SECONDS))
                    .as("%s ended; stderr so far: %s", command.get(1), Files.readString(err)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String out, String err) {
    }
}
