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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioned dashboards parse, query the provisioned Prometheus, and each query parses; whether each returns
 * data is e2e's PrometheusE2ETest, against a Prometheus scraping the running services.
 */
class GrafanaDashboardsTest {

    static final Path DASHBOARDS = Stack.dir().resolve("grafana/dashboards");
    /** The four dashboards: overview; queues and capacity; nodes and processes; bus health. */
    static final List<String> FILES = List.of("sluice-bus.json", "sluice-nodes.json", "sluice-overview.json",
            "sluice-queues.json");
    static final Path BUS = DASHBOARDS.resolve("sluice-bus.json");

    /** What a user looks for in each database service's row of the bus dashboard. */
    static final List<String> BUS_ROW_PANELS = List.of(
            "Up", "Dead letters", "Outbox backlog", "Outbox published", "Events consumed by outcome", "Consumer lag");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_four_dashboards_are_there_and_nothing_else() {
        assertThat(dashboardFiles()).extracting(file -> file.getFileName().toString())
                .containsExactlyElementsOf(FILES);
    }

    @Test
    void every_dashboard_parses_and_numbers_its_panels_uniquely() {
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = read(file);
            List<Integer> ids = panels(dashboard).stream().map(panel -> panel.path("id").asInt()).toList();

            assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
            assertThat(dashboard.path("title").asText()).as(file + " title").isNotBlank();
            assertThat(new HashSet<>(ids)).as(file + " panel ids").hasSameSizeAs(ids);
        }
    }

    @Test
    void every_panel_has_a_title_a_description_and_a_query() {
        for (Path file : dashboardFiles()) {
            for (JsonNode panel : panels(read(file))) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("title").asText()).as(file + " panel " + panel.path("id")).isNotBlank();
                assertThat(panel.path("description").asText()).as(file + " " + panel.path("title")).isNotBlank();
                assertThat(panel.path("targets")).as(file + " " + panel.path("title")).isNotEmpty();
            }
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
    void the_bus_dashboard_repeats_one_row_of_panels_for_each_database_service() {
        JsonNode dashboard = read(BUS);
        JsonNode variable = dashboard.path("templating").path("list").get(0);
        List<String> choices = variable.path("options").findValuesAsText("value").stream()
                .filter(value -> !value.equals("$__all"))
                .toList();
        List<JsonNode> repeated = panels(dashboard).stream()
                .filter(panel -> panel.path("type").asText().equals("row") && panel.has("repeat")).toList();

        // The variable's values are Prometheus job names, which are the services' names (prometheus.yml).
        assertThat(variable.path("name").asText()).isEqualTo("service");
        assertThat(choices).containsExactlyElementsOf(Stack.DATABASE_SERVICES);
        Stack.DATABASE_SERVICES.forEach(service ->
                assertThat(PrometheusConfigTest.scrapeJob(service)).as(service).isPresent());
        assertThat(repeated).singleElement().satisfies(row -> assertThat(row.path("repeat").asText())
                .isEqualTo("service"));
        assertThat(panels(dashboard).stream().map(panel -> panel.path("title").asText()))
                .containsAll(BUS_ROW_PANELS);
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
