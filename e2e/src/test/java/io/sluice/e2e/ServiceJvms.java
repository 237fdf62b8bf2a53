package io.sluice.e2e;

import io.sluice.testing.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** One Sluice service run from its packaged jar in a JVM of its own, reachable on its HTTP port. */
final class ServiceJvms {

    /** A running service: its JVM and its port. */
    record Service(String module, ChildJvm jvm, int port) {

        /** Waits until {@code /health} says UP; fails with the service's output if it does not. */
        void awaitUp(Duration deadline) throws IOException {
            HttpClient http = HttpClient.newHttpClient();
            try {
                Awaitility.await().atMost(deadline).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                        + "/health")).timeout(Duration.ofSeconds(2)).GET().build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(module + " did not report UP within " + deadline + "; its output:\n"
                        + jvm.output(), e);
            }
        }
    }

    private ServiceJvms() {
    }

    /** JVM options for a quick start: the tests start many service JVMs and need no peak throughput. */
    static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /**
     * As the services' images run them (the Jib configuration in the root pom), what the benchmark measures: the JVM's compilers and the
     * serial collector.
     */
    static final List<String> PRODUCTION = List.of("-XX:+UseSerialGC");

    /** Starts {@code module}'s jar with the common wiring plus {@code properties}. */
    static Service start(String module, Map<String, String> wiring, Map<String, String> properties,
                         List<String> jvmOptions) throws IOException {
        int port = freePort();
        Map<String, String> all = new HashMap<>(wiring);
        all.putAll(properties);
        all.put("micronaut.server.port", String.valueOf(port));
        Path jar = Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
        return new Service(module, ChildJvm.startJar(module, jar, all, jvmOptions), port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
