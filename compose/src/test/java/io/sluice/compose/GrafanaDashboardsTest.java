package io.sluice.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provisioned dashboards parse, query the provisioned Prometheus, and chart only metrics the services export. */
class GrafanaDashboardsTest {

    static final Path DASHBOARDS = Stack.dir().resolve("grafana/dashboards");
    static final Path OVERVIEW = DASHBOARDS.resolve("sluice-overview.json");

    /**
     * The metrics the Sluice overview charts. A panel over another metric belongs here too, and in ExportedMetrics
     * only once a service really exports it.
     */
    static final Set<String> OVERVIEW_METRICS = Set.of(
            "up",
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
            "sluice_events_consumed_total", "sluice_outbox_published_total", "sluice_outbox_unpublished");

    /** What a user looks for in each service's row. */
    static final List<String> OVERVIEW_PANELS = List.of(
            "Up", "Dead letters", "Outbox backlog", "Outbox published", "Events consumed by outcome", "JVM heap",
            "HTTP requests", "HTTP latency");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_dashboard_parses_and_numbers_its_panels_uniquely() {
        assertThat(dashboardFiles()).contains(OVERVIEW);
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = read(file);
            List<Integer> ids = panels(dashboard).stream().map(panel -> panel.path("id").asInt()).toList();

            assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
            assertThat(dashboard.path("title").asText()).as(file + " title").isNotBlank();
            assertThat(new HashSet<>(ids)).as(file + " panel ids").hasSameSizeAs(ids);
        }
    }

    @Test
    void every_query_asks_the_provisioned_prometheus() {
        String uid = GrafanaProvisioningTest.prometheusDatasource().get("uid").toString();
        for (Path file : dashboardFiles()) {
            for (JsonNode target : targets(read(file))) {
                assertThat(target.path("datasource").path("uid").asText()).as(file + " " + target).isEqualTo(uid);
            }
        }
    }

    @Test
    void every_query_charts_only_metrics_the_services_export() {
        for (Path file : dashboardFiles()) {
            for (JsonNode target : targets(read(file))) {
                String expression = target.path("expr").asText();
                assertThat(PromQl.metricNames(expression)).as("%s: %s", file.getFileName(), expression)
                        .isNotEmpty()
                        .allMatch(ExportedMetrics::exported, "a metric some service exports (ExportedMetrics)");
            }
        }
    }

    @Test
    void the_overview_charts_exactly_the_metrics_listed_for_it() {
        Set<String> used = new TreeSet<>();
        targets(read(OVERVIEW)).forEach(target -> used.addAll(PromQl.metricNames(target.path("expr").asText())));

        assertThat(used).containsExactlyInAnyOrderElementsOf(OVERVIEW_METRICS);
    }

    @Test
    void promtool_parses_every_query(@TempDir Path dir) throws IOException {
        Path promtool = ExternalTool.require("promtool", "prometheus");
        // promtool checks PromQL only inside rule files: each query becomes a recording rule, variables filled in.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int n = 0;
        for (Path file : dashboardFiles()) {
            for (JsonNode target : targets(read(file))) {
                String expression = PromQl.withVariables(target.path("expr").asText(), Stack.SERVICES.get(0));
                rules.append("      - record: dashboard_query_").append(n++).append('\n')
                        .append("        expr: ").append(JSON.writeValueAsString(expression)).append('\n');
            }
        }
        Path rulesFile = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);

        ExternalTool.Result result = ExternalTool.run(List.of(promtool.toString(), "check", "rules", rulesFile.toString()));

        assertThat(result.succeeded()).as("promtool said:%n%s%nabout:%n%s", result.output(), rules).isTrue();
    }

    @Test
    void the_overview_repeats_one_row_of_panels_for_each_service() {
        JsonNode dashboard = read(OVERVIEW);
        JsonNode variable = dashboard.path("templating").path("list").get(0);
        List<String> choices = variable.path("options").findValuesAsText("value").stream()
                .filter(value -> !value.equals("$__all"))
                .toList();
        List<JsonNode> rows = panels(dashboard).stream().filter(panel -> panel.path("type").asText().equals("row")).toList();

        // The variable's values are Prometheus job names, which are the services' names (prometheus.yml).
        assertThat(variable.path("name").asText()).isEqualTo("service");
        assertThat(choices).containsExactlyElementsOf(Stack.SERVICES);
        Stack.SERVICES.forEach(service -> assertThat(PrometheusConfigTest.scrapeJob(service)).as(service).isPresent());
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.path("repeat").asText()).isEqualTo("service"));
        assertThat(panels(dashboard).stream().map(panel -> panel.path("title").asText()))
                .containsAll(OVERVIEW_PANELS);
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Every panel, including those folded into collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<JsonNode> targets(JsonNode dashboard) {
        List<JsonNode> targets = new ArrayList<>();
        panels(dashboard).forEach(panel -> panel.path("targets").forEach(targets::add));
        return targets;
    }
}
