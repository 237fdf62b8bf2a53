package io.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Debian's Prometheus (/usr/bin/prometheus, package prometheus) as a child process on a free port, with a config and a
 * data directory of its own: scraping the given services' /prometheus every 2 s (a busy CI machine may take more
 * than a second for a scrape) and evaluating the given rule file every second; its HTTP API for queries.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts Prometheus scraping each service (job name = module name) and loading {@code rules}. */
    static PrometheusServer start(Map<String, Integer> servicePorts, Path rules) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: apt-get install -y prometheus (./run-tests installs it)");
        }
        Path dir = Files.createTempDirectory("sluice-e2e-prometheus");
        String scrapes = servicePorts.entrySet().stream().map(service -> """
                  - job_name: %s
                    metrics_path: /prometheus
                    static_configs:
                      - targets: ["localhost:%d"]
                """.formatted(service.getKey(), service.getValue())).collect(Collectors.joining());
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 1s
                rule_files:
                  - "%s"
                scrape_configs:
                %s""".formatted(rules.toAbsolutePath(), scrapes));
        int port = freePort();
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(dir, process, port);
        try {
            Awaitility.await().atMost(START_DEADLINE).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> server.get("/-/ready").statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String log = server.log();
            server.close();
            throw new AssertionError("Prometheus did not become ready within " + START_DEADLINE + ":\n" + log, e);
        }
        return server;
    }

    /** The result array of an instant query; fails naming the expression when Prometheus refuses it. */
    JsonNode query(String expression) throws IOException, InterruptedException {
        JsonNode answer = api("/api/v1/query?query=" + encode(expression));
        return answer.path("data").path("result");
    }

    /** The series matching {@code selector} that Prometheus holds (any time in the last hour). */
    JsonNode series(String selector) throws IOException, InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        return api("/api/v1/series?match[]=" + encode(selector) + "&start=" + (now - 3600) + "&end=" + now)
                .path("data");
    }

    /** The rule groups Prometheus loaded, with each rule's query and its health after its last evaluation. */
    JsonNode ruleGroups() throws IOException, InterruptedException {
        return api("/api/v1/rules").path("data").path("groups");
    }

    /** What Prometheus wrote to its log so far. */
    String log() throws IOException {
        Path log = dir.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(pathAndQuery);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
                    + response.body());
        }
        return body;
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
