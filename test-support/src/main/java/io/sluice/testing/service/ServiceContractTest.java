package io.sluice.testing.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * What every Sluice service does, tested on the real service: it starts, creates its topics and migrates its own
 * schema, serves /health and /prometheus, stops cleanly, and reports an unreachable broker or database DOWN by
 * name and address in one log line instead of crashing. A service's test is a subclass naming the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceContractTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String NOWHERE_KAFKA = "localhost:1";
    private static final String NOWHERE_DATABASE = "jdbc:postgresql://localhost:1/nowhere";
    private static final String HEALTH_LOGGER = "io.sluice.bus.health.ServiceHealth";

    private final HttpClient http = HttpClient.newHttpClient();
    private IsolatedScope scope;

    /** The service's name, as its threads and events name it. */
    protected abstract String serviceName();

    /** The service's own PostgreSQL schema; null for a service without a database. */
    protected abstract String databaseSchema();

    /** Settings the service needs in a test besides its broker and database (say, a state directory). */
    protected Map<String, Object> serviceProperties() {
        return Map.of();
    }

    @BeforeAll
    void isolate() {
        scope = TestInfra.shared().isolate(serviceName());
    }

    @AfterAll
    void release() {
        scope.close();
    }

    @Test
    void starts_prepares_its_topics_and_schema_serves_health_and_metrics_and_stops_cleanly() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(Map.of()))) {
            await().atMost(DEADLINE).untilAsserted(() -> {
                HttpResponse<String> health = get(server, "/health");
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"");
            });
            HttpResponse<String> metrics = get(server, "/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");

            TopicNaming naming = new TopicNaming(scope.topicPrefix());
            assertThat(scope.admin().listTopics().names().get())
                    .containsAll(Arrays.stream(Topic.values()).map(naming::nameOf).toList());
            if (databaseSchema() != null) {
                assertThat(metrics.body()).contains("sluice_outbox_unpublished");
                assertThat(tablesOf(databaseSchema())).contains("bus_outbox", "bus_processed_event",
                        "bus_schema_history", "flyway_schema_history");
            }
        }
        assertThat(liveThreadNames()).as("no plumbing thread outlives the service")
                .noneMatch(name -> name.startsWith(serviceName()) || name.equals("outbox-relay"));
    }

    @Test
    void an_unreachable_broker_is_reported_down_by_name_and_address_in_one_log_line() throws Exception {
        assertDownWithOneLogLine(Map.of("sluice.kafka.bootstrap-servers", NOWHERE_KAFKA),
                "Kafka broker unreachable at " + NOWHERE_KAFKA);
    }

    @Test
    void an_unreachable_database_is_reported_down_by_name_and_address_in_one_log_line() throws Exception {
        assumeTrue(databaseSchema() != null, serviceName() + " has no database");
        assertDownWithOneLogLine(Map.of("datasources.default.url", NOWHERE_DATABASE),
                "PostgreSQL unreachable at " + NOWHERE_DATABASE);
    }

    private void assertDownWithOneLogLine(Map<String, Object> overrides, String expected) throws Exception {
        ListAppender<ILoggingEvent> log = captureHealthLog();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(overrides))) {
            await().atMost(DEADLINE).untilAsserted(() -> {
                HttpResponse<String> health = get(server, "/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("DOWN").contains(expected);
            });
            // The service keeps retrying every second; the log says it once, not once per retry.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    linesContaining(log, expected) == 1 && server.isRunning());
        } finally {
            ((Logger) LoggerFactory.getLogger(HEALTH_LOGGER)).detachAppender(log);
        }
    }

    private Map<String, Object> properties(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("sluice.kafka.bootstrap-servers", scope.bootstrapServers());
        properties.put("sluice.topic-prefix", scope.topicPrefix());
        properties.put("sluice.retry-interval", "1s");
        if (databaseSchema() != null) {
            properties.put("datasources.default.url", scope.jdbcUrl());
            properties.put("datasources.default.username", scope.username());
            properties.put("datasources.default.password", scope.password());
        }
        properties.putAll(serviceProperties());
        properties.putAll(overrides);
        return properties;
    }

    private HttpResponse<String> get(EmbeddedServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<String> tablesOf(String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = scope.dataSource().getConnection();
             var select = connection.prepareStatement(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            select.setString(1, schema);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private static ListAppender<ILoggingEvent> captureHealthLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(HEALTH_LOGGER)).addAppender(appender);
        return appender;
    }

    private static long linesContaining(ListAppender<ILoggingEvent> log, String text) {
        synchronized (log) {
            return new ArrayList<>(log.list).stream().filter(e -> e.getFormattedMessage().contains(text)).count();
        }
    }

    private static List<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }
}
