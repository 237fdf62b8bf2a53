package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.schemas.Topic;
import io.sluice.testing.TestOwners;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cli's read commands from its jar against the real services: a job submitted with `sluice submit` runs on the
 * node, then `list`, `status`, `nodes`, `watch -o json` and `logs -o json` show it as job-service and worker-factory
 * know it, with their exit codes; a node without isolation says why under `nodes`' table; an unknown job and an
 * unreachable service exit 3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliReadCommandsE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SluiceSystem sluice;
    private Path directory;
    private String jobId;

    @BeforeAll
    void start() throws Exception {
        sluice = new SluiceSystem("cli-read", 1, Map.of());
        directory = Files.createTempDirectory("sluice-cli-read");
        Path key = directory.resolve("alice-key.pem");
        TestOwners.keyOf("alice").writeTo(key);
        Cli submit = cli(List.of("submit", "--detach", "--owner", "alice", "--owner-key", key.toString(),
                "--name", "cli-tour", "--step", "hello=echo hello from the tour",
                "--step", "count=for i in 1 2 3; do echo line $i; done"), true);
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        jobId = submit.out().strip();
        assertThat(jobId).matches("job-[0-9a-hjkmnp-tv-z]{26}");
        JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, jobId, JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
    }

    @AfterAll
    void stop() throws Exception {
        sluice.close();
    }

    @Test
    void list_shows_the_job_with_its_state_and_filters_it_in_and_out() throws Exception {
        Cli list = cli(List.of("list", jobService(), "--owner", "alice", "--since", "1h"), false);

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().toList().get(0)).matches("JOB +STATE +OWNER +TARGET +NAME +STEPS +SUBMITTED");
        assertThat(list.out()).containsPattern(jobId + " +SUCCEEDED +alice +linux +cli-tour +2 +\\d\\d:\\d\\d:\\d\\d");

        Cli json = cli(List.of("list", jobService(), "--state", "succeeded", "--target", "linux", "-o", "json"), false);
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode summary = JSON.readTree(json.out().lines().filter(line -> line.contains(jobId)).findFirst()
                .orElseThrow());
        assertThat(summary.path("stepCount").asInt()).isEqualTo(2);
        assertThat(summary.has("steps")).isFalse();

        Cli none = cli(List.of("list", jobService(), "--owner", "nobody"), false);
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("sluice list: no jobs with owner nobody at job-service at http://localhost:");

        Cli tooMany = cli(List.of("list", jobService(), "--limit", "0"), false);
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--limit: must be between 1 and 10000, got 0");
    }

    @Test
    void list_pages_through_job_service_newest_first_up_to_its_limit() throws Exception {
        Path key = directory.resolve("alice-key.pem");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Cli submit = cli(List.of("submit", "--detach", "--owner", "alice", "--owner-key", key.toString(),
                    "--name", "paged", "--target", "nowhere", "--step", "x=true"), true);
            assertThat(submit.exitCode()).as(submit.err()).isZero();
            ids.add(submit.out().strip());
        }
        for (String id : ids) {
            sluice.bus.await(Topic.JOB_EVENTS, id, io.sluice.events.job.JobRejected.class);
        }

        // A rejected job has no target in the projection; these are the only rejected jobs of this system.
        Cli paged = cli(List.of("list", jobService(), "--state", "rejected", "--page-size", "1", "-o", "json"), false);
        Cli limited = cli(List.of("list", jobService(), "--state", "rejected", "--page-size", "1", "--limit", "2"),
                false);

        assertThat(paged.exitCode()).as(paged.err()).isZero();
        List<String> newestFirst = paged.out().lines()
                .map(line -> line.replaceAll(".*\"jobId\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(newestFirst).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(limited.exitCode()).isZero();
        // The first two of the same order, read one page at a time.
        assertThat(limited.out().lines().skip(1).map(line -> line.split(" +")[0]).toList())
                .containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(limited.out()).contains("REJECTED  alice");
        assertThat(limited.err()).contains("more jobs match than the 2 shown");
    }

    @Test
    void status_shows_state_milestones_steps_with_exit_codes_and_worker() {
        Cli status = cli(List.of("status", jobId, jobService()), false);

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("job         " + jobId + "  'cli-tour' of alice on target linux",
                "state       SUCCEEDED", "worker      ", " on node " + sluice.nodeId, "milestones", "  submitted ",
                "  worker assigned ", "  cleaned up ", "steps");
        assertThat(status.out()).containsPattern("  1 +hello +SUCCEEDED +0 ").containsPattern("  2 +count +SUCCEEDED +0 ");

        Cli json = cli(List.of("status", jobId, jobService(), "-o", "json"), false);
        assertThat(json.exitCode()).isZero();
        assertThat(json.out().lines().count()).isEqualTo(1);
        assertThat(json.out()).contains("\"jobId\":\"" + jobId + "\"", "\"exitCode\":0");
    }

    @Test
    void status_of_an_unknown_job_exits_3_naming_where_it_looked() {
        Cli status = cli(List.of("status", "no-such-job", jobService()), false);

        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.err()).contains("sluice status: no job no-such-job at job-service at http://localhost:"
                + sluice.jobService.port());
    }

    @Test
    void nodes_shows_the_node_its_targets_slots_isolation_with_its_cgroups_and_heartbeat() throws Exception {
        Cli nodes = cli(List.of("nodes", "--worker-factory", "http://localhost:" + sluice.workerFactory.port()),
                false);

        assertThat(nodes.exitCode()).as(nodes.err()).isZero();
        assertThat(nodes.out().lines().toList().get(0))
                .matches("NODE +HOST +TARGETS +SLOTS +STATE +ISOLATION +LAST HEARTBEAT +VERSION");
        // The node runs with runc on this machine, whose cgroups are hybrid (v1 controllers beside a unified mount).
        assertThat(nodes.out()).containsPattern(sluice.nodeId
                + " +\\S+ +linux\\S* +0/1 +ready +runc \\(cgroup hybrid\\) +\\d\\d:\\d\\d:\\d\\d \\(.* ago\\)");
        assertThat(nodes.out().lines()).as("an isolated node warns of nothing: the table alone").hasSize(2);

        Cli json = cli(List.of("nodes", "--worker-factory", "http://localhost:" + sluice.workerFactory.port(),
                "-o", "json"), false);
        JsonNode node = JSON.readTree(json.out().lines().findFirst().orElseThrow());
        assertThat(node.path("nodeId").asText()).isEqualTo(sluice.nodeId);
        assertThat(node.path("slotsTotal").asInt()).isEqualTo(1);
        assertThat(node.path("lost").asBoolean()).isFalse();
        assertThat(node.path("isolation").asText()).isEqualTo("RUNC");
        assertThat(node.path("cgroups").asText()).isEqualTo("hybrid");
        assertThat(node.path("warnings").isArray()).as(json.out()).isTrue();
        assertThat(node.path("warnings")).isEmpty();
    }

    @Test
    void nodes_says_under_the_table_why_a_node_runs_jobs_unisolated() throws Exception {
        // Isolation auto where the runner finds no runc: it runs unisolated and says why in its heartbeat.
        try (SluiceSystem unisolated = SluiceSystem.withUnisolatedNode("cli-unisolated", 1,
                Map.of("sluice.node.isolation", "auto", "sluice.node.runc", "/nonexistent/runc"))) {
            List<String> arguments = List.of("nodes", "--worker-factory",
                    "http://localhost:" + unisolated.workerFactory.port());
            Cli nodes = await().atMost(Duration.ofSeconds(60)).until(() -> cli(arguments, false),
                    run -> run.out().contains(unisolated.nodeId));

            assertThat(nodes.exitCode()).as(nodes.err()).isZero();
            List<String> lines = nodes.out().lines().toList();
            assertThat(lines.get(1)).matches(unisolated.nodeId + " +\\S+ +linux\\S* +0/1 +ready +none +.*");
            assertThat(lines).as("the table, then the node's one warning").hasSize(3);
            assertThat(lines.get(2)).startsWith(unisolated.nodeId + ": isolation is NONE (job processes run as plain "
                    + "host processes): runc not found at /nonexistent/runc").contains("install runc")
                    .doesNotContain("\u001b[");
            List<String> jsonArguments = new ArrayList<>(arguments);
            jsonArguments.addAll(List.of("-o", "json"));
            Cli json = cli(jsonArguments, false);
            JsonNode node = JSON.readTree(json.out().lines().findFirst().orElseThrow());
            assertThat(node.path("isolation").asText()).isEqualTo("NONE");
            assertThat(node.path("cgroups").isNull()).as(json.out()).isTrue();
            assertThat(node.path("warnings")).hasSize(1);
            assertThat(unisolated.nodeId + ": " + node.path("warnings").get(0).asText()).isEqualTo(lines.get(2));
        }
    }

    @Test
    void watch_and_logs_print_the_job_for_people() {
        Cli watch = cli(List.of("watch", jobId), true);
        Cli logs = cli(List.of("logs", jobId), true);

        assertThat(watch.exitCode()).as(watch.err()).isZero();
        assertThat(watch.out()).contains("JobSubmitted       job 'cli-tour' of alice on target linux",
                "[hello] hello from the tour", "[count] line 3", "JobCleanedUp       closed, nothing of it left running; "
                        + "outcome SUCCEEDED").doesNotContain("\u001b[");
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.out().lines().toList()).containsExactly("[hello] hello from the tour", "[count] line 1",
                "[count] line 2", "[count] line 3");
    }

    @Test
    void watch_and_logs_print_one_json_object_per_line() throws Exception {
        Cli watch = cli(List.of("watch", jobId, "-o", "json"), true);
        Cli logs = cli(List.of("logs", jobId, "-o", "json"), true);

        assertThat(watch.exitCode()).as(watch.err()).isZero();
        List<String> events = new ArrayList<>();
        for (String line : watch.out().lines().toList()) {
            JsonNode object = JSON.readTree(line);
            events.add(object.path("event").asText(object.path("line").asText()));
        }
        assertThat(events).startsWith("JobSubmitted", "JobAccepted").endsWith("JobCleanedUp")
                .contains("hello from the tour", "line 3");
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out().lines().toList()).containsExactly(
                "{\"jobId\":\"" + jobId + "\",\"step\":\"hello\",\"stream\":\"stdout\",\"line\":\"hello from the tour\"}",
                "{\"jobId\":\"" + jobId + "\",\"step\":\"count\",\"stream\":\"stdout\",\"line\":\"line 1\"}",
                "{\"jobId\":\"" + jobId + "\",\"step\":\"count\",\"stream\":\"stdout\",\"line\":\"line 2\"}",
                "{\"jobId\":\"" + jobId + "\",\"step\":\"count\",\"stream\":\"stdout\",\"line\":\"line 3\"}");
    }

    @Test
    void an_unreachable_service_exits_3_saying_where_it_looked() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Cli list = cli(List.of("list", "--job-service", "http://localhost:" + closedPort), false);
        Cli nodes = cli(List.of("nodes", "--worker-factory", "http://localhost:" + closedPort), false);

        assertThat(list.exitCode()).isEqualTo(3);
        assertThat(list.err()).contains("sluice list: no answer from job-service at http://localhost:" + closedPort
                + " (connection refused); the address came from --job-service");
        assertThat(nodes.exitCode()).isEqualTo(3);
        assertThat(nodes.err()).contains("no answer from worker-factory at http://localhost:" + closedPort);
    }

    private String jobService() {
        return "--job-service=http://localhost:" + sluice.jobService.port();
    }

    private record Cli(int exitCode, String out, String err) {
    }

    /** Runs the cli's jar; with {@code kafka}, pointed at the system's broker and topics. */
    private Cli cli(List<String> arguments, boolean kafka) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of("..", "cli", "target", "sluice-cli.jar").toAbsolutePath().normalize()
                .toString()));
        command.addAll(arguments);
        if (kafka) {
            command.addAll(List.of("--bootstrap-servers", sluice.scope.bootstrapServers(), "--topic-prefix",
                    sluice.scope.topicPrefix()));
        }
        try {
            Path out = Files.createTempFile(directory, "out", ".txt");
            Path err = Files.createTempFile(directory, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().remove("NO_COLOR");
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("sluice %s ended", arguments).isTrue();
            Cli run = new Cli(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            // The real output of each command, for people reading the test's report.
            System.out.println("$ sluice " + String.join(" ", arguments) + "   (exit " + run.exitCode() + ")\n"
                    + run.out() + run.err());
            return run;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
