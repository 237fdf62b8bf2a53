package io.sluice.compose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard checks fill in Grafana's variables as Prometheus would see them. */
class PromQlTest {

    @Test
    void fills_in_grafana_variables_so_prometheus_can_parse_the_expression() {
        assertThat(PromQl.withVariables("increase(x{job=~\"$service\"}[$__range]) / rate(x[$__rate_interval])", "a"))
                .isEqualTo("increase(x{job=~\"a\"}[1h]) / rate(x[1m])");
    }
}
