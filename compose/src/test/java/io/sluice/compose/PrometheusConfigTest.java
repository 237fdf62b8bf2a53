package io.sluice.compose;

import static io.sluice.compose.Stack.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** prometheus/prometheus.yml is a config Prometheus accepts, and it scrapes every service where it listens. */
class PrometheusConfigTest {

    static final Path CONFIG = Stack.dir().resolve("prometheus/prometheus.yml");

    @Test
    void promtool_accepts_the_config() {
        Path promtool = ExternalTool.require("promtool", "prometheus");

        ExternalTool.Result result = ExternalTool.run(List.of(promtool.toString(), "check", "config", CONFIG.toString()));

        assertThat(result.succeeded()).as("promtool said:%n%s", result.output()).isTrue();
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
