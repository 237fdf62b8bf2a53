package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.cli.Sluice;
import java.io.IOException;
import java.net.InetAddress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code sluice dev}: embedded broker and database, the four service jars as child JVMs, one of them
 * killed and restarted, then SIGTERM.
 */
class SluiceDevTest {

    /** The cli module's tests run in {@code <repo>/cli}; the services' jars are built next to it. */
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private CliProcess cli;

    @AfterEach
    void killWhatIsLeft() {
        if (cli != null && cli.process().isAlive()) {
            cli.process().descendants().forEach(ProcessHandle::destroyForcibly);
            cli.process().destroyForcibly();
        }
        http.close();
    }

    @Test
    void runs_every_service_healthy_restarts_a_killed_one_and_stops_everything_on_sigterm(@TempDir Path dataDirectory) throws Exception {
        requireServiceJars();
        int kafkaPort = FreePortsForTests.any();
        int postgresPort = FreePortsForTests.any();
        int scratchPostgresPort = FreePortsForTests.any();
        int basePort = FreePortsForTests.consecutive(SluiceService.values().length);

        cli = CliProcess.start(List.of("dev", "--fresh",
                "--data-dir", dataDirectory.toString(),
                "--kafka-port", String.valueOf(kafkaPort),
                "--postgres-port", String.valueOf(postgresPort),
                "--scratch-postgres-port", String.valueOf(scratchPostgresPort),
                "--base-port", String.valueOf(basePort),
                "--repo-dir", REPOSITORY.toString()));
        await("the summary of sluice dev").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .failFast("sluice dev exited before it was up", () -> !cli.process().isAlive())
                .until(() -> cli.printed(DevSummary.HEADLINE));
        // The node probes for isolation itself; sluice dev says, once, what its first heartbeat said.
        await("the node's isolation verdict").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.printed("| node-runner: jobs run "));
        assertThat(cli.output().lines().filter(line -> line.contains("| node-runner: ")))
                .as("sluice dev's line on the node's isolation").singleElement().asString()
                .matches("sluice +\\| node-runner: jobs run (isolated under runc \\(cgroup (v1|hybrid|v2)\\)|UNISOLATED: .+)");

        for (SluiceService service : SluiceService.values()) {
            String url = "http://localhost:" + service.port(basePort);
            HttpResponse<String> health = get(url + "/health");
            assertThat(health.statusCode()).as(service.moduleName() + " /health: " + health.body()).isEqualTo(200);
            assertThat(HealthProbe.overallStatus(health.body())).as(service.moduleName() + " /health").isEqualTo("UP");
            HttpResponse<String> metrics = get(url + "/prometheus");
            assertThat(metrics.statusCode()).as(service.moduleName() + " /prometheus").isEqualTo(200);
            assertThat(metrics.body()).as(service.moduleName() + " /prometheus").contains("jvm_");
        }
        HttpResponse<String> types = get("http://localhost:" + SluiceService.RESOURCE_WELL.port(basePort) + "/types");
        assertThat(types.body()).as("the resource well's dev types").contains("\"name\":\"lab-slot\"",
                "\"name\":\"scratch-db\"", "\"name\":\"api-token\"");
        Path secretKey = dataDirectory.resolve("secret-key");
        assertThat(Files.getPosixFilePermissions(secretKey)).as("the secret key's file mode")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(cli.output()).as("sluice dev's console").doesNotContain(Files.readString(secretKey).strip());
        assertSecretsKeptAndNeverPrinted(dataDirectory, postgresPort);
        Path login = dataDirectory.resolve(DevCredentials.USER_CLIENT_CONFIG);
        assertThat(cli.output()).as("the summary's login line").contains("--kafka-config " + login);
        // The key sluice dev made for whoever runs it signs their requests; job-service knows it.
        Path ownerKey = dataDirectory.resolve("owner-key.pem");
        assertThat(Files.getPosixFilePermissions(ownerKey)).as("the owner key's file mode")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(cli.output()).as("the summary's owner key line").contains(ownerKey + "  (signs your requests");
        // The user principal's login and the owner key are all a job needs, end to end through the secured broker.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int submitted = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("submit", "--kafka-config", login.toString(), "--owner-key", ownerKey.toString(),
                        "--step", "hello=echo hello", "--timeout", "60s");
        assertThat(submitted).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("[hello] hello", "JobCleanedUp");
        // The broker admin's login drains and undrains the node; the user's is refused.
        Path adminLogin = dataDirectory.resolve(DevCredentials.ADMIN_CLIENT_CONFIG);
        assertThat(cli.output()).as("the summary's operator line")
                .contains("./sluice admin drain NODE --kafka-config " + adminLogin);
        String node = InetAddress.getLocalHost().getHostName();
        assertThat(runSluice("admin", "drain", node, "--kafka-config", adminLogin.toString()))
                .isEqualTo("0 node " + node + " drains: it takes no new workers; nothing runs there\n");
        assertThat(runSluice("admin", "undrain", node, "--kafka-config", adminLogin.toString()))
                .isEqualTo("0 node " + node + " takes work again; nothing runs there\n");
        assertThat(runSluice("admin", "drain", node, "--kafka-config", login.toString()))
                .startsWith("4 sluice admin drain: the Kafka broker at ")
                .endsWith(" does not allow user 'user' to read topic sluice.node.heartbeats: its operator grants "
                        + "that with an ACL\n");
        // The supervisor: a service killed with SIGKILL (as the OOM killer does) is started again, and said so.
        ProcessHandle jobService = serviceJvm(SluiceService.JOB_SERVICE);
        assertThat(jobService.destroyForcibly()).as("SIGKILL to job-service").isTrue();
        jobService.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        await("job-service restarted and UP again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .failFast("sluice dev exited", () -> !cli.process().isAlive())
                .until(() -> cli.printed("job-service exited with code 137; restarting in 1 s (restart 1)")
                        && isUp(SluiceService.JOB_SERVICE.port(basePort)));
        assertThat(serviceJvm(SluiceService.JOB_SERVICE).pid()).as("job-service's new JVM").isNotEqualTo(jobService.pid());
        assertThat(runSluice("submit", "--kafka-config", login.toString(), "--owner-key", ownerKey.toString(),
                "--step", "again=echo again", "--timeout", "60s")).as("a job after the restart")
                .startsWith("0 ").contains("[again] again");
        List<ProcessHandle> children = cli.process().descendants().toList();
        assertThat(children).as("the service JVMs").hasSizeGreaterThanOrEqualTo(SluiceService.values().length);

        long stopStartedAt = System.nanoTime();
        // SIGTERM through the handle: Process.destroy() would also close the pipe we read its last lines from.
        cli.process().toHandle().destroy();
        assertThat(cli.awaitExit(Duration.ofSeconds(60))).as("sluice dev exits after SIGTERM").isTrue();
        System.out.printf("sluice dev stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopStartedAt) / 1e9);

        assertThat(cli.process().exitValue()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("PostgreSQL stopped", "Kafka broker stopped", DevSystem.ALL_STOPPED);
        for (SluiceService service : SluiceService.values()) {
            assertThat(cli.output()).contains(service.moduleName() + " stopped (exit code");
        }
        assertThat(children).as("child processes left behind").noneMatch(ProcessHandle::isAlive);
        assertThat(List.of(kafkaPort, postgresPort, scratchPostgresPort, basePort, basePort + 1, basePort + 2, basePort + 3))
                .as("ports still accepting connections").noneMatch(SluiceDevTest::accepts);
    }

    /** The JVM of a service that sluice dev runs, found by its jar on its command line. */
    private ProcessHandle serviceJvm(SluiceService service) {
        String jar = service.moduleName() + ".jar";
        return cli.process().children()
                .filter(child -> child.info().commandLine().orElse("").contains(jar))
                .findFirst().orElseThrow(() -> new AssertionError("no child of sluice dev runs " + jar));
    }

    private boolean isUp(int port) {
        try {
            HttpResponse<String> health = get("http://localhost:" + port + "/health");
            return health.statusCode() == 200 && "UP".equals(HealthProbe.overallStatus(health.body()));
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The exit code, a space, and what the command printed (stdout, then stderr). */
    private static String runSluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return exitCode + " " + out + err;
    }

    /** Every password is in a file of its own that only its owner reads, and none is on the console. */
    private void assertSecretsKeptAndNeverPrinted(Path dataDirectory, int postgresPort) throws IOException {
        List<Path> secrets;
        try (var files = Files.list(dataDirectory.resolve("credentials"))) {
            secrets = new java.util.ArrayList<>(files.toList());
        }
        assertThat(secrets).as("the password files").hasSize(8);
        secrets.add(dataDirectory.resolve(DevCredentials.USER_CLIENT_CONFIG));
        secrets.add(dataDirectory.resolve(DevCredentials.ADMIN_CLIENT_CONFIG));
        for (Path secret : secrets) {
            assertThat(Files.getPosixFilePermissions(secret)).as(secret + "'s mode")
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        for (Path password : secrets.subList(0, secrets.size() - 2)) {
            assertThat(cli.output()).as("sluice dev's console").doesNotContain(Files.readString(password).strip());
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort
                + "/sluice", "postgres", "postgres").close()).as("PostgreSQL with the old postgres/postgres")
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    private static void requireServiceJars() {
        List<Path> missing = Arrays.stream(SluiceService.values())
                .map(service -> service.jar(REPOSITORY))
                .filter(jar -> !Files.isRegularFile(jar))
                .toList();
        assertThat(missing).as("service jars; build them first: ./mvnw -B -q package -DskipTests "
                + "-pl job-service,resource-well,worker-factory,node-runner -am (./mvnw verify builds them before cli)")
                .isEmpty();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
