package io.sluice.compose;

import static io.sluice.compose.Stack.list;
import static io.sluice.compose.Stack.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grafana's provisioning files point at the paths compose mounts and at the stack's Prometheus. */
class GrafanaProvisioningTest {

    static final Path PROVISIONING = Stack.dir().resolve("grafana/provisioning");

    @Test
    void compose_mounts_the_provisioning_where_grafana_looks_for_it() {
        assertThat(grafanaVolumes()).contains("./grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_dashboard_provider_reads_the_directory_compose_mounts_the_dashboards_at() {
        Map<String, Object> provider = (Map<String, Object>) list(
                Stack.yaml(PROVISIONING.resolve("dashboards/sluice.yml")), "providers").get(0);
        String path = map(provider, "options").get("path").toString();

        assertThat(provider).containsEntry("type", "file");
        assertThat(grafanaVolumes()).contains("./grafana/dashboards:" + path + ":ro");
        String home = map(Stack.composeService("grafana"), "environment")
                .get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").toString();
        assertThat(home).startsWith(path + "/");
        assertThat(GrafanaDashboardsTest.DASHBOARDS.resolve(home.substring(path.length() + 1))).exists();
    }

    @Test
    void the_datasource_is_the_stacks_prometheus() {
        Map<String, Object> datasource = prometheusDatasource();

        assertThat(datasource).containsEntry("url", "http://prometheus:9090").containsEntry("isDefault", true);
        assertThat(list(Stack.composeService("prometheus"), "ports")).contains("9090:9090");
    }

    @Test
    void anonymous_visitors_may_only_view() {
        assertThat(map(Stack.composeService("grafana"), "environment"))
                .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true")
                .containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> prometheusDatasource() {
        List<Object> datasources = list(Stack.yaml(PROVISIONING.resolve("datasources/prometheus.yml")), "datasources");
        assertThat(datasources).hasSize(1);
        Map<String, Object> datasource = (Map<String, Object>) datasources.get(0);
        assertThat(datasource).containsEntry("type", "prometheus");
        return datasource;
    }

    private static List<String> grafanaVolumes() {
        return list(Stack.composeService("grafana"), "volumes").stream().map(Object::toString).toList();
    }
}
