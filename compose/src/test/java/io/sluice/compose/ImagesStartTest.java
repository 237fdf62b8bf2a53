package io.sluice.compose;

import static io.sluice.compose.UnpackedImages.containerConfig;
import static io.sluice.compose.UnpackedImages.inImage;
import static io.sluice.compose.UnpackedImages.requireImages;
import static io.sluice.compose.UnpackedImages.requireRoot;
import static io.sluice.compose.UnpackedImages.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Images started for real, without a container engine: job-service's and node-runner's unpacked root file systems,
 * started with their entrypoints as their containers would be, against the tests' real broker and PostgreSQL, come
 * up healthy: the images run their service, connected, not only a JVM.
 */
class ImagesStartTest {

    /** Generous: a service's start under a loaded machine of two cores, and the shared servers' first start. */
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path unpacked;

    private static IsolatedScope scope;

    @BeforeAll
    static void startServers() {
        requireImages();
        requireRoot();
        scope = TestInfra.shared().isolate("compose-images");
    }

    @AfterAll
    static void closeScope() {
        if (scope != null) {
            scope.close();
        }
    }

    @Test
    void the_job_service_image_reaches_its_database_and_broker_and_says_up() throws IOException {
        Path rootfs = UnpackedImages.rootFileSystem("job-service", unpacked);
        int port = freePort();
        List<String> command = inImage("job-service", rootfs, Map.of(
                "SLUICE_KAFKA_BOOTSTRAP_SERVERS", scope.bootstrapServers(),
                "SLUICE_TOPIC_PREFIX", scope.topicPrefix(),
                "DATASOURCES_DEFAULT_URL", scope.jdbcUrl(),
                "DATASOURCES_DEFAULT_USERNAME", scope.username(),
                "DATASOURCES_DEFAULT_PASSWORD", scope.password(),
                "MICRONAUT_SERVER_PORT", String.valueOf(port)),
                strings(containerConfig("job-service").get("Entrypoint")));

        try (Started service = Started.start("job-service", command)) {
            String health = service.awaitHealthUp(port);

            assertThat(health).as(service.log())
                    .contains("\"database\":\"UP: connected to jdbc:postgresql:")
                    .contains("\"kafka\":\"UP: connected to " + scope.bootstrapServers());
        }
    }

    @Test
    void the_node_runner_image_runs_with_runc_isolation_as_a_privileged_container_would() throws IOException {
        Path rootfs = UnpackedImages.rootFileSystem("node-runner", unpacked);
        int port = freePort();
        List<String> environment = new ArrayList<>(strings(containerConfig("node-runner").get("Env")));
        environment.addAll(List.of(
                "SLUICE_KAFKA_BOOTSTRAP_SERVERS=" + scope.bootstrapServers(),
                "SLUICE_TOPIC_PREFIX=" + scope.topicPrefix(),
                "SLUICE_NODE_ID=compose-image-node-" + ProcessHandle.current().pid(),
                "SLUICE_NODE_ISOLATION=runc",
                "MICRONAUT_SERVER_PORT=" + port));
        // What compose gives the container: root, privileged (the host's /sys and /dev, cgroups writable), /run on a
        // tmpfs, its working directory /var/lib/sluice; the host's network, where compose gives it a network of its own.
        String r = rootfs.toString();
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
                "sh", "-c", "mount --rbind /sys " + r + "/sys && mount --rbind /dev " + r + "/dev"
                        + " && mount -t tmpfs tmpfs " + r + "/run && mount -t proc proc " + r + "/proc"
                        + " && mkdir -p " + r + "/var/lib/sluice"
                        + " && exec chroot " + r + " /usr/bin/env -i -C /var/lib/sluice \"$@\"", "sh"));
        command.addAll(environment);
        command.addAll(strings(containerConfig("node-runner").get("Entrypoint")));

        try (Started runner = Started.start("node-runner", command)) {
            String health = runner.awaitHealthUp(port);

            assertThat(health).as(runner.log()).contains("\"kafka\":\"UP: connected to " + scope.bootstrapServers());
            // The runner says how it runs once it has started its loops, just after /health says UP.
            await().atMost(DEADLINE).failFast(() -> !runner.process().isAlive())
                    .untilAsserted(() -> assertThat(runner.log()).contains("isolation RUNC"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A service started from its image, its output in a file; closing it ends the unshare and all it started. */
    private record Started(String service, Process process, Path output) implements AutoCloseable {

        static Started start(String service, List<String> command) throws IOException {
            Path output = Files.createTempFile("sluice-image-" + service, ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            return new Started(service, process, output);
        }

        /** Waits for /health to say UP; returns what it said. */
        String awaitHealthUp(int port) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            String[] body = new String[1];
            try {
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                        .failFast(() -> !process.isAlive())
                        .ignoreExceptions()
                        .until(() -> {
                            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                            body[0] = response.body();
                            return response.statusCode() == 200
                                    && JSON.readTree(body[0]).path("status").asText().equals("UP");
                        });
            } catch (RuntimeException e) {
                throw new AssertionError(service + " from its image did not say UP on /health within " + DEADLINE
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                        + "; /health said " + body[0] + "; " + log(), e);
            }
            return body[0];
        }

        String log() {
            try {
                return service + "'s output:\n" + Files.readString(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(output);
        }
    }
}
