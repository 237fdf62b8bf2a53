package io.sluice.compose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard checks find every metric an expression selects, and nothing else. */
class PromQlTest {

    @Test
    void finds_the_metrics_but_not_functions_labels_or_durations() {
        String expression = "sum by (uri) (rate(http_server_requests_seconds_sum{job=~\"$service\", uri!=\"/health\"}"
                + "[$__rate_interval])) / sum without (status) (rate(http_server_requests_seconds_count[5m] offset 1h))";

        assertThat(PromQl.metricNames(expression))
                .containsExactly("http_server_requests_seconds_count", "http_server_requests_seconds_sum");
    }

    @Test
    void finds_a_bare_metric_and_one_compared_with_a_number() {
        assertThat(PromQl.metricNames("up")).containsExactly("up");
        assertThat(PromQl.metricNames("sum(jvm_memory_max_bytes{area=\"heap\"} > 0) or vector(0)"))
                .containsExactly("jvm_memory_max_bytes");
    }

    @Test
    void fills_in_grafana_variables_so_prometheus_can_parse_the_expression() {
        assertThat(PromQl.withVariables("increase(x{job=~\"$service\"}[$__range]) / rate(x[$__rate_interval])", "a"))
                .isEqualTo("increase(x{job=~\"a\"}[1h]) / rate(x[1m])");
    }
}
