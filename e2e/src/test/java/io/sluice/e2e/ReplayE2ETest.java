package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.ProcessStarted;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A job the real services ran, looked at again: {@code sluice replay} finds today's saga does the same,
 * {@code sluice admin rebuild-projections} finds the rebuilt projection equal to the live one (and says where it is
 * not), and job-service's consumer groups reset to the beginning run nothing twice (invariant 8). The system is
 * shared: the reset, which restarts job-service, comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayE2ETest {

    private static final String JOB = "replayed";
    /** job-service's consumers and the topic each reads (their groups are the prefix and these names). */
    private static final Map<String, Topic> JOB_SERVICE_GROUPS = Map.of("job-service.requests", Topic.JOB_REQUESTS,
            "job-service.workers", Topic.WORKER_EVENTS, "job-service.nodes", Topic.NODE_EVENTS,
            "job-service.resources", Topic.RESOURCE_EVENTS, "job-service.resource-types", Topic.RESOURCE_TYPES);
    private static final List<String> PROJECTION = List.of("job_view", "job_step", "job_history",
            "job_resource_view");

    private static SluiceSystem sluice;
    private static Path passwordFile;

    @BeforeAll
    static void runAJob() throws Exception {
        sluice = new SluiceSystem("replay", 2, Map.of());
        sluice.submit(JOB, aJob().withSteps(aScript("build", "echo compiling"), aScript("test", "echo testing"))
                .spec());
        JobCleanedUp cleaned = sluice.bus.await(Topic.JOB_EVENTS, JOB, JobCleanedUp.class);
        assertThat(cleaned.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
        passwordFile = Files.createTempFile("sluice-e2e-db", ".password",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, sluice.scope.password() + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (passwordFile != null) {
            Files.deleteIfExists(passwordFile);
        }
    }

    @Test
    @Order(1)
    void replay_of_a_job_the_real_services_ran_reports_no_difference() throws Exception {
        Cli replay = cli("replay", JOB);

        assertThat(replay.exitCode).as(replay.output).isZero();
        assertThat(replay.output).contains("replay of job " + JOB + ": ")
                .contains(" JobSubmitted\n   state: (unknown) -> WAITING_FOR_WORKER")
                .contains("emits: sluice.job.events StepFinished, JobFinished; sluice.worker.demands "
                        + "WorkerReleaseRequested [linux]")
                .contains("-> CLEANED_UP (")
                .contains("no difference: today's saga does with job " + JOB + " what was recorded")
                .doesNotContain("   ! ").doesNotContain("logback");
    }

    @Test
    @Order(2)
    void the_rebuilt_projection_equals_the_live_one_and_an_altered_live_row_is_the_difference() throws Exception {
        Cli equal = cli(rebuild());
        assertThat(equal.exitCode).as(equal.output).isZero();
        assertThat(equal.output).contains("equal: the rebuilt projection is the live one (schema job_service");
        assertThat(equal.output).doesNotContain(sluice.scope.password());

        execute("UPDATE job_service.job_view SET name = 'altered by the test' WHERE job_id = '" + JOB + "'");
        try {
            Cli different = cli(rebuild());

            assertThat(different.exitCode).as(different.output).isEqualTo(1);
            assertThat(different.output.lines().filter(line -> line.startsWith("job "))).containsExactly(
                    "job " + JOB + "  job_view.name: live altered by the test, rebuilt "
                            + aJob().spec().getName());
            assertThat(different.output).contains("1 difference in 1 job between the live projection");
        } finally {
            execute("UPDATE job_service.job_view SET name = '" + aJob().spec().getName() + "' WHERE job_id = '"
                    + JOB + "'");
        }
    }

    @Test
    @Order(3)
    void job_service_reset_to_the_beginning_of_its_topics_runs_nothing_twice() throws Exception {
        Map<Topic, Integer> recordsBefore = recordsOfTheJob();
        Map<String, List<Map<String, String>>> projectionBefore = projection();
        int launches = sluice.bus.payloads(Topic.NODE_COMMANDS, JOB, LaunchProcess.class).size();
        int starts = sluice.bus.payloads(Topic.NODE_EVENTS, JOB, ProcessStarted.class).size();

        Cli refused = cli("admin", "reset-offsets", "--service", "job-service", "--to-earliest");
        assertThat(refused.exitCode).as(refused.output).isEqualTo(1);
        assertThat(refused.output).contains("refused: job-service is running: its groups ")
                .contains(sluice.scope.topicPrefix() + "job-service.requests (1 member");

        sluice.jobService.jvm().stop(SluiceSystem.STOP_DEADLINE);
        Cli reset = cli("admin", "reset-offsets", "--service", "job-service", "--to-earliest");
        assertThat(reset.exitCode).as(reset.output).isZero();
        assertThat(reset.output).contains(sluice.scope.topicPrefix() + "job-service.requests  "
                + sluice.scope.topicPrefix() + "sluice.job.requests-")
                .containsPattern("sluice\\.job\\.requests-\\d  [1-9]\\d* -> 0")
                .containsPattern("reset \\d+ partitions of [1-5] groups of job-service to the earliest offsets");

        sluice.startJobService();
        sluice.jobService.awaitUp(SluiceSystem.START_DEADLINE);
        new ConsumerGroups(sluice.scope, JOB_SERVICE_GROUPS).awaitConsumedToTheEnd(EventHarness.DEADLINE);
        // A job submitted after the reset is a barrier: the outbox relays in order, so once its events are out,
        // anything the re-read made would be out too.
        sluice.submit("after-reset", aJob().withSteps(aScript("again", "echo again")).spec());
        sluice.bus.await(Topic.JOB_EVENTS, "after-reset", JobCleanedUp.class);

        assertThat(recordsOfTheJob()).as("records of job " + JOB + " on every topic").isEqualTo(recordsBefore);
        assertThat(projection()).isEqualTo(projectionBefore);
        assertThat(sluice.bus.payloads(Topic.NODE_COMMANDS, JOB, LaunchProcess.class)).hasSize(launches);
        assertThat(sluice.bus.payloads(Topic.NODE_EVENTS, JOB, ProcessStarted.class)).hasSize(starts).hasSize(2);
    }

    private static String[] rebuild() {
        return new String[] {"admin", "rebuild-projections", "--jdbc-url", sluice.scope.jdbcUrl(), "--db-user",
            sluice.scope.username(), "--db-password-file", passwordFile.toString()};
    }

    /**
     * How many events of the job each topic holds, each once: the outbox relay may publish an event again after a
     * restart, with the same id, which consumers skip; a new event has a new id.
     */
    private static Map<Topic, Integer> recordsOfTheJob() {
        Map<Topic, Integer> counts = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            List<SpecificRecordBase> envelopes = sluice.bus.envelopes(topic);
            counts.put(topic, (int) envelopes.stream().map(Envelopes::metadataOf)
                    .filter(metadata -> JOB.equals(String.valueOf(metadata.getCorrelationId())))
                    .map(metadata -> metadata.getEventId().toString()).distinct().count());
        }
        assertThat(counts.get(Topic.JOB_EVENTS)).isPositive();
        return counts;
    }

    /** The job's rows in job-service's projection, every column as text. */
    private static Map<String, List<Map<String, String>>> projection() throws Exception {
        Map<String, List<Map<String, String>>> tables = new TreeMap<>();
        try (Connection connection = sluice.scope.dataSource().getConnection()) {
            for (String table : PROJECTION) {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT * FROM job_service." + table + " WHERE job_id = ? ORDER BY 2")) {
                    select.setString(1, JOB);
                    List<Map<String, String>> rows = new ArrayList<>();
                    try (ResultSet result = select.executeQuery()) {
                        ResultSetMetaData columns = result.getMetaData();
                        while (result.next()) {
                            Map<String, String> row = new TreeMap<>();
                            for (int i = 1; i <= columns.getColumnCount(); i++) {
                                row.put(columns.getColumnName(i), result.getString(i));
                            }
                            rows.add(row);
                        }
                    }
                    tables.put(table, rows);
                }
            }
        }
        assertThat(tables.get("job_view")).hasSize(1);
        return tables;
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = sluice.scope.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate(sql)).isEqualTo(1);
        }
    }

    /** The cli from its packaged jar, pointed at the system's broker and topics; its output and exit code. */
    private static Cli cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("..", "cli", "target", "sluice-cli.jar").toAbsolutePath().normalize().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-servers", sluice.scope.bootstrapServers(), "--topic-prefix",
                sluice.scope.topicPrefix()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Cli(process.waitFor(), output);
    }

    private record Cli(int exitCode, String output) {
    }
}
