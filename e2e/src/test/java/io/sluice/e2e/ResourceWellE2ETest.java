package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.JobOutcome;
import io.sluice.events.SealedSecret;
import io.sluice.events.SecretRef;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobQueued;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.ResourceAcquired;
import io.sluice.events.job.ResourceAcquisitionStarted;
import io.sluice.events.job.StepStarted;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.events.resource.ResourceReleased;
import io.sluice.infra.LocalPostgres;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import io.sluice.testing.TestOwners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jobs with managed resources across the whole system (job-service, resource-well, worker-factory and a node runner
 * under runc): no deadlock whatever the order jobs list their types in, cancellation while waiting and while holding,
 * and a kill -9 of the well in the middle of provisioning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceWellE2ETest {

    /** psql as a job runs it inside its container, as its own role with the password it reads from its file. */
    private static final String PSQL = "PGPASSWORD=\"$(cat \"$SLUICE_RESOURCES_DIR/scratch-db/password\")\""
            + " psql -X -A -t -v ON_ERROR_STOP=1 -h \"$SLUICE_RESOURCE_SCRATCH_DB_HOST\""
            + " -p \"$SLUICE_RESOURCE_SCRATCH_DB_PORT\" -U \"$SLUICE_RESOURCE_SCRATCH_DB_USER\" -d ";

    /** Points in a job's acquisition of type-a then type-b; the second job of a round is submitted at one of them. */
    private static final List<Class<?>> STAGES_OF_THE_FIRST = List.of(JobQueued.class,
            ResourceAcquisitionStarted.class, ResourceAcquired.class, StepStarted.class);

    private Path commands;
    /** The host's address for jobs (the node runtime contract in node-runner/README.md). */
    private static final String HOST_FOR_JOBS = "169.254.203.1";

    private LocalPostgres scratchServer;
    private SluiceSystem sluice;

    @BeforeAll
    void startSluice() throws Exception {
        commands = Files.createTempDirectory("sluice-e2e-well");
        // A provisioner that records what it made and removed; for the crash job, it waits until the test lets it go.
        Path provision = script("provision", "touch \"$0.dir/started-$SLUICE_JOB_ID\"\n"
                + "case \"$SLUICE_JOB_ID\" in crash*) while [ ! -e \"$0.dir/go\" ]; do sleep 0.05; done ;; esac\n"
                + "touch \"$0.dir/made-$(echo \"$SLUICE_INSTANCE_ID\" | tr / _)\"\n"
                + "echo '{\"ticket\": \"t-'$SLUICE_JOB_ID'\", \"pin\": \"pin-'$SLUICE_JOB_ID'-4711\"}'\n");
        Path release = script("release", "case \"$SLUICE_INSTANCE_ID\" in release-crash*) touch \""
                + commands.resolve("provision.dir") + "/releasing\"; while [ ! -e \""
                + commands.resolve("provision.dir") + "/go-release\" ]; do sleep 0.05; done ;; esac\n"
                + "rm -f \"" + commands.resolve("provision.dir") + "/made-$(echo \"$SLUICE_INSTANCE_ID\" | tr / _)\"\n");
        Files.createDirectories(commands.resolve("provision.dir"));
        // The scratch databases' server is one of their own, as in sluice dev: the only host port the node opens to
        // jobs, which reach it at the host's address for jobs; the services' database stays out of their reach.
        // The node runner puts that address on the host's loopback as it starts; the server must listen on it first.
        run("ip", "address", "replace", HOST_FOR_JOBS + "/32", "dev", "lo");
        scratchServer = LocalPostgres.builder().password("scratch-" + UUID.randomUUID())
                .listenAddresses("localhost," + HOST_FOR_JOBS).start();
        sluice = SluiceSystem.withWell("well", 2, Map.of("sluice.node.host-ports-for-jobs",
                String.valueOf(scratchServer.port())), Map.ofEntries(
                Map.entry("sluice.well.types.type-a.provisioner", "semaphore"),
                Map.entry("sluice.well.types.type-b.provisioner", "semaphore"),
                Map.entry("sluice.well.types.lab.provisioner", "semaphore"),
                Map.entry("sluice.well.types.ticket.provisioner", "command"),
                Map.entry("sluice.well.types.ticket.settings.provision", provision.toString()),
                Map.entry("sluice.well.types.ticket.settings.release", release.toString()),
                Map.entry("sluice.well.types.ticket.settings.secret-keys", "pin"),
                Map.entry("sluice.well.types.api-token.provisioner", "token"),
                Map.entry("sluice.well.types.api-token.settings.issuer", "https://e2e.example"),
                Map.entry("sluice.well.types.scratch-db.provisioner", "postgres-database"),
                Map.entry("sluice.well.types.scratch-db.capacity", "2"),
                Map.entry("sluice.well.types.scratch-db.settings.admin-jdbc-url", scratchServer.jdbcUrl("postgres")),
                Map.entry("sluice.well.types.scratch-db.settings.admin-user", scratchServer.username()),
                Map.entry("sluice.well.types.scratch-db.settings.admin-password", scratchServer.password()),
                Map.entry("sluice.well.types.scratch-db.settings.job-host", HOST_FOR_JOBS),
                Map.entry("sluice.well.types.scratch-db.settings.job-port", String.valueOf(scratchServer.port())),
                Map.entry("sluice.well.types.scratch-db.settings.name-prefix", "e2e_scratch_")));
        awaitTypesKnown("type-a", "type-b", "lab", "ticket", "api-token", "scratch-db");
    }

    @AfterAll
    void stopSluice() throws Exception {
        sluice.close();
        scratchServer.close();
    }

    @Test
    void two_jobs_needing_the_same_two_types_in_opposite_orders_both_complete_every_time() {
        Random random = new Random(22);
        for (int round = 0; round < 5; round++) {
            String first = "ab-" + round;
            String second = "ba-" + round;
            sluice.submit(first, aJob().withResources("type-a", "type-b")
                    .withSteps(aScript("work", "sleep 0." + random.nextInt(3))).spec());
            // The second job comes at a different point of the first's acquisition each round.
            sluice.bus.await(Topic.JOB_EVENTS, first,
                    STAGES_OF_THE_FIRST.get(random.nextInt(STAGES_OF_THE_FIRST.size())));
            sluice.submit(second, aJob().withResources("type-b", "type-a")
                    .withSteps(aScript("work", "sleep 0." + random.nextInt(3))).spec());

            assertThat(outcomeOf(first)).as(first).isEqualTo(JobOutcome.SUCCEEDED);
            assertThat(outcomeOf(second)).as(second).isEqualTo(JobOutcome.SUCCEEDED);
            // Serial acquisition in lexicographic order: both asked for type-a first.
            assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, second, ResourceAcquisitionStarted.class))
                    .extracting(ResourceAcquisitionStarted::getResourceType).containsExactly("type-a", "type-b");
        }
    }

    @Test
    void cancelling_a_job_that_waits_for_a_resource_and_one_that_holds_it_frees_it_for_the_next() {
        sluice.submit("holder", aJob().withResources("lab").withSteps(aScript("work", "sleep 60")).spec());
        sluice.bus.await(Topic.JOB_EVENTS, "holder", StepStarted.class);
        sluice.submit("waiter", aJob().withResources("lab").withSteps(aScript("work", "true")).spec());
        sluice.bus.await(Topic.JOB_EVENTS, "waiter", ResourceAcquisitionStarted.class);

        sluice.cancel("waiter");
        assertThat(outcomeOf("waiter")).isEqualTo(JobOutcome.CANCELLED);
        assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "waiter", ResourceAcquired.class)).isEmpty();

        sluice.submit("next", aJob().withResources("lab").withSteps(aScript("work", "true")).spec());
        sluice.bus.await(Topic.JOB_EVENTS, "next", ResourceAcquisitionStarted.class);
        sluice.cancel("holder");
        assertThat(outcomeOf("holder")).isEqualTo(JobOutcome.CANCELLED);
        assertThat(sluice.bus.payloads(Topic.RESOURCE_EVENTS, "holder", ResourceReleased.class)).hasSize(1);
        assertThat(outcomeOf("next")).isEqualTo(JobOutcome.SUCCEEDED);
    }

    @Test
    void a_well_killed_while_provisioning_makes_the_resource_once_after_its_restart_and_leaves_nothing() throws Exception {
        Path made = commands.resolve("provision.dir");
        sluice.submit("crash", aJob().withResources("ticket").withSteps(aScript("work", "true")).spec());
        Awaitility.await().atMost(EventHarness.DEADLINE).until(() -> Files.exists(made.resolve("started-crash")));

        sluice.resourceWell.jvm().kill();
        Files.delete(made.resolve("started-crash"));
        Files.createFile(made.resolve("go"));
        sluice.startResourceWell();
        sluice.resourceWell.awaitUp(SluiceSystem.START_DEADLINE);

        assertThat(outcomeOf("crash")).isEqualTo(JobOutcome.SUCCEEDED);
        List<ResourceGranted> grants = sluice.bus.payloads(Topic.RESOURCE_EVENTS, "crash", ResourceGranted.class);
        assertThat(grants).hasSize(1);
        assertThat(grants.getFirst().getResource().getMetadata()).containsEntry("ticket", "t-crash");
        assertThat(sluice.bus.payloads(Topic.RESOURCE_EVENTS, "crash", ResourceReleased.class)).hasSize(1);
        assertThat(made.resolve("made-crash_ticket")).as("the ticket the command made, removed by its release")
                .doesNotExist();
    }

    @Test
    void a_well_killed_while_releasing_releases_the_resource_once_after_its_restart_and_leaves_nothing()
            throws Exception {
        Path made = commands.resolve("provision.dir");
        sluice.submit("release-crash", aJob().withResources("ticket").withSteps(aScript("work", "true")).spec());
        Awaitility.await().atMost(EventHarness.DEADLINE).until(() -> Files.exists(made.resolve("releasing")));

        sluice.resourceWell.jvm().kill();
        Files.createFile(made.resolve("go-release"));
        sluice.startResourceWell();
        sluice.resourceWell.awaitUp(SluiceSystem.START_DEADLINE);

        assertThat(outcomeOf("release-crash")).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(sluice.bus.payloads(Topic.RESOURCE_EVENTS, "release-crash", ResourceGranted.class)).hasSize(1);
        assertThat(sluice.bus.payloads(Topic.RESOURCE_EVENTS, "release-crash", ResourceReleased.class)).hasSize(1);
        assertThat(made.resolve("made-release-crash_ticket")).as("the ticket, removed by the release after the crash")
                .doesNotExist();
    }

    @Test
    void a_job_uses_its_own_database_with_credentials_it_reads_inside_its_container_and_another_job_cannot_enter_it()
            throws Exception {
        sluice.submit("db-owner", aJob().withResources("scratch-db").withSteps(aScript("use", PSQL
                + "\"$SLUICE_RESOURCE_SCRATCH_DB_DATABASE\""
                + " -c 'CREATE TABLE results (n int)' -c 'INSERT INTO results VALUES (42)'"
                + " -c 'SELECT n FROM results' && sleep 60")).spec());
        String ownersDatabase = sluice.bus.await(Topic.RESOURCE_EVENTS, "db-owner", ResourceGranted.class)
                .getResource().getMetadata().get("database");
        sluice.bus.await(Topic.JOB_EVENTS, "db-owner", StepStarted.class);

        sluice.submit("intruder", aJob().withResources("scratch-db").withSteps(aScript("try", PSQL
                + ownersDatabase
                + " -c 'SELECT n FROM results' || echo refused")).spec());

        assertThat(outcomeOf("intruder")).as(() -> sluice.bus.payloads(Topic.JOB_EVENTS, "intruder",
                JobFinished.class) + "\nstderr: " + sluice.output("intruder", "try", "STDERR"))
                .isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(sluice.output("intruder", "try", "STDOUT")).contains("refused").doesNotContain("42");
        assertThat(sluice.output("intruder", "try", "STDERR")).contains("permission denied for database");
        Awaitility.await().atMost(EventHarness.DEADLINE)
                .until(() -> sluice.output("db-owner", "use", "STDOUT").contains("42"));
        sluice.cancel("db-owner");
        assertThat(outcomeOf("db-owner")).isEqualTo(JobOutcome.CANCELLED);
        assertNoClearSecretAnywhere("db-owner", "intruder");
    }

    @Test
    void a_job_with_all_four_kinds_of_resources_runs_from_the_cli_to_its_clean_up() throws Exception {
        Path jobFile = commands.resolve("four-kinds.json");
        Files.writeString(jobFile, """
                {"owner": "alice", "name": "four kinds", "target": "linux",
                 "resources": [{"type": "scratch-db"}, {"type": "api-token"}, {"type": "lab"}, {"type": "ticket"}],
                 "steps": [{"name": "check", "script": "ls $SLUICE_RESOURCES_DIR && test -s $SLUICE_RESOURCES_DIR/api-token/token && test -s $SLUICE_RESOURCES_DIR/scratch-db/password && test -s $SLUICE_RESOURCES_DIR/ticket/pin && echo slot=$SLUICE_RESOURCE_LAB_SLOT ticket=$SLUICE_RESOURCE_TICKET_TICKET"}]}
                """);

        Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("..", "cli", "target", "sluice-cli.jar").toAbsolutePath().normalize().toString(),
                "submit", "--file", jobFile.toString(), "--job-id", "four-kinds", "--owner-key", aliceKey().toString(),
                "--bootstrap-servers", sluice.scope.bootstrapServers(), "--topic-prefix", sluice.scope.topicPrefix())
                .redirectErrorStream(true).start();
        cli.getOutputStream().close();
        String printed = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(cli.waitFor()).as(printed).isZero();
        assertThat(printed).contains("slot=0 ticket=t-four-kinds");
        assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "four-kinds", ResourceAcquired.class))
                .extracting(ResourceAcquired::getResourceType)
                .containsExactly("api-token", "lab", "scratch-db", "ticket");
        assertThat(sluice.bus.payloads(Topic.RESOURCE_EVENTS, "four-kinds", ResourceReleased.class)).hasSize(4);
        assertNoClearSecretAnywhere("four-kinds");
    }

    /** No secret the well granted the jobs is in clear text on any topic or in any service's log (invariant 5). */
    private void assertNoClearSecretAnywhere(String... jobIds) throws Exception {
        SecretSealer keys = new SecretSealer(SecretKeyRing.of(
                Map.of("e2e", sluice.secretKey.get("sluice.secrets.keys.e2e")), "e2e"));
        List<String> secrets = new ArrayList<>();
        for (String jobId : jobIds) {
            for (ResourceGranted grant : sluice.bus.payloads(Topic.RESOURCE_EVENTS, jobId, ResourceGranted.class)) {
                for (SecretRef secret : grant.getResource().getSecrets()) {
                    secrets.add(keys.open(grant.getResource().getResourceId(), secret.getName(),
                            (SealedSecret) secret.getSource()));
                }
            }
        }
        assertThat(secrets).as("secrets granted to " + List.of(jobIds)).isNotEmpty();
        for (Topic topic : Topic.values()) {
            for (var record : sluice.scope.topicReader().readAll(sluice.bus.topicName(topic))) {
                String value = new String(record.value(), StandardCharsets.ISO_8859_1);
                assertThat(secrets).as("clear secrets on " + topic.topicName()).noneMatch(value::contains);
            }
        }
        for (ServiceJvms.Service service : List.of(sluice.jobService, sluice.workerFactory, sluice.nodeRunner,
                sluice.resourceWell)) {
            String log = service.jvm().output();
            assertThat(secrets).as("clear secrets in " + service.module() + "'s log").noneMatch(log::contains);
        }
    }

    private JobOutcome outcomeOf(String jobId) {
        return sluice.bus.await(Topic.JOB_EVENTS, jobId, JobCleanedUp.class).getOutcome();
    }

    /** Waits until job-service knows the well's types: a job asking for them all is accepted (and run). */
    private void awaitTypesKnown(String... types) {
        int[] attempt = {0};
        Awaitility.await().atMost(EventHarness.DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
            String probe = "types-known-" + attempt[0]++;
            JobSpec spec = aJob().withResources("type-a").withSteps(aScript("work", "true")).spec();
            spec.setResources(aJob().withResources(types).spec().getResources());
            sluice.submit(probe, spec);
            Object first = Awaitility.await().atMost(EventHarness.DEADLINE).until(() -> firstAnswer(probe),
                    answer -> answer != null);
            return first instanceof JobCleanedUp;
        });
    }

    private Object firstAnswer(String probe) {
        if (!sluice.bus.payloads(Topic.JOB_EVENTS, probe, JobRejected.class).isEmpty()) {
            return JobRejected.class;
        }
        List<JobCleanedUp> cleaned = sluice.bus.payloads(Topic.JOB_EVENTS, probe, JobCleanedUp.class);
        return cleaned.isEmpty() ? null : cleaned.getFirst();
    }

    private Path script(String name, String body) throws Exception {
        Path script = commands.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** alice's signing key in a file, as the cli takes it. */
    private Path aliceKey() throws IOException {
        Path file = commands.resolve("alice-key.pem");
        if (!Files.exists(file)) {
            TestOwners.keyOf("alice").writeTo(file);
        }
        return file;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
