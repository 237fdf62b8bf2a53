package io.sluice.testing;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The one Kafka broker and one PostgreSQL server that all tests of this JVM share, chosen and started on first use
 * and stopped when the JVM exits; test classes isolate themselves on it with {@link #isolate(String)}.
 *
 * <p>The servers are, in this order: those named by {@code SLUICE_TEST_KAFKA_BOOTSTRAP} and
 * {@code SLUICE_TEST_JDBC_URL} (with {@code SLUICE_TEST_JDBC_USER}, default {@code postgres}, and
 * {@code SLUICE_TEST_JDBC_PASSWORD}, default empty); else Testcontainers when a Docker engine is reachable; else
 * an in-process broker and an embedded PostgreSQL server.
 */
public final class TestInfra {

    private static final Logger log = LoggerFactory.getLogger(TestInfra.class);

    private static TestInfra shared;
    private static RuntimeException startFailure;

    private final SharedServers servers;

    private TestInfra(SharedServers servers) {
        this.servers = servers;
    }

    /** The servers of this JVM, started by the first caller; later callers get the same ones at once. */
    public static synchronized TestInfra shared() {
        if (startFailure != null) {
            // Retrying in every test class would repeat a slow failure; report the first one again instead.
            throw new IllegalStateException("The shared test servers failed to start earlier in this JVM", startFailure);
        }
        if (shared == null) {
            try {
                shared = start(InfraChoice.choose(System.getenv(), TestInfra::dockerAvailable));
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** Starts servers as chosen, apart from the shared ones; for testing the choices themselves. */
    static TestInfra start(InfraChoice choice) {
        long startedAt = System.nanoTime();
        SharedServers servers = SharedServers.start(choice);
        Runtime.getRuntime().addShutdownHook(new Thread(servers.stop(), "sluice-test-infra-stop"));
        log.info("Sluice test infrastructure: {}; Kafka at {}, PostgreSQL at {}; ready in {} ms", servers.description(),
                servers.bootstrapServers(), servers.postgres().adminJdbcUrl(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        return new TestInfra(servers);
    }

    private static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    SharedServers servers() {
        return servers;
    }

    /** Where Kafka clients connect. */
    public String bootstrapServers() {
        return servers.bootstrapServers();
    }

    /** A fresh topic prefix and a fresh database for one test class; {@code name} appears in logs only. */
    public IsolatedScope isolate(String name) {
        return IsolatedScope.create(name, servers.bootstrapServers(), servers.postgres());
    }

    /**
     * A fresh topic prefix on a broker of the test's own (a secured one, say), whose clients add
     * {@code clientProperties} (its login), and a fresh database on the shared server.
     */
    public IsolatedScope isolate(String name, String bootstrapServers, Map<String, String> clientProperties) {
        return IsolatedScope.create(name, bootstrapServers, clientProperties, servers.postgres());
    }
}
