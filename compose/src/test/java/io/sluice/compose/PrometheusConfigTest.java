package io.sluice.compose;

import static io.sluice.compose.Stack.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * prometheus/prometheus.yml is a config Prometheus accepts, it scrapes every service where it listens, and it loads the
 * alert rules, which promtool accepts and compose mounts beside it.
 */
class PrometheusConfigTest {

    static final Path CONFIG = Stack.dir().resolve("prometheus/prometheus.yml");
    static final Path ALERTS = Stack.dir().resolve("prometheus/alerts.yml");

    @Test
    void promtool_accepts_the_config() {
        Path promtool = ExternalTool.require("promtool", "prometheus");

        ExternalTool.Result result = ExternalTool.run(List.of(promtool.toString(), "check", "config", CONFIG.toString()));

        assertThat(result.succeeded()).as("promtool said:%n%s", result.output()).isTrue();
    }

    @Test
    void promtool_loads_the_alert_rules() {
        Path promtool = ExternalTool.require("promtool", "prometheus");

        ExternalTool.Result result = ExternalTool.run(List.of(promtool.toString(), "check", "rules", ALERTS.toString()));

        assertThat(result.succeeded()).as("promtool said:%n%s", result.output()).isTrue();
        assertThat(result.output()).contains("SUCCESS: 6 rules found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_config_loads_the_alert_rules_and_compose_mounts_them_beside_it() {
        assertThat(list(Stack.yaml(CONFIG), "rule_files")).containsExactly("alerts.yml");
        assertThat(list(Stack.composeService("prometheus"), "volumes")).contains(
                "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_alert_has_a_summary_and_a_description() {
        List<Object> rules = list((Map<String, Object>) list(Stack.yaml(ALERTS), "groups").get(0), "rules");
        assertThat(rules).extracting(rule -> ((Map<String, Object>) rule).get("alert")).containsExactly(
                "SluiceDeadLetter", "SluiceConsumerLagging", "SluiceNodeLost", "SluiceJobsQueuedTooLong",
                "SluiceOutboxBacklogGrowing", "SluiceServiceDown");
        for (Object rule : rules) {
            Map<String, Object> annotations = Stack.map((Map<String, Object>) rule, "annotations");
            assertThat(annotations.get("summary")).as(rule.toString()).asString().isNotBlank();
            assertThat(annotations.get("description")).as(rule.toString()).asString().isNotBlank();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_service_is_scraped_on_its_prometheus_endpoint_under_its_own_job_name() {
        for (String service : Stack.SERVICES) {
            Map<String, Object> job = scrapeJob(service)
                    .orElseThrow(() -> new AssertionError("no scrape job named " + service));

            assertThat(job).as(service).containsEntry("metrics_path", "/prometheus");
            assertThat(list((Map<String, Object>) list(job, "static_configs").get(0), "targets")).as(service)
                    .containsExactly(service + ":" + Stack.httpPort(service));
        }
    }

    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> scrapeJob(String name) {
        return list(Stack.yaml(CONFIG), "scrape_configs").stream()
                .map(job -> (Map<String, Object>) job)
                .filter(job -> name.equals(job.get("job_name")))
                .findFirst();
    }
}
