package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The alert checks find every selector an expression holds, with its matchers, and nothing else. */
class PromQlSelectorsTest {

    @Test
    void finds_the_selectors_but_not_functions_labels_or_durations() {
        String expression = "sum by (uri) (rate(http_server_requests_seconds_sum{job=~\"a|b\", uri!=\"/health\"}"
                + "[1m])) / sum without (status) (rate(http_server_requests_seconds_count[5m] offset 1h))";

        assertThat(PromQlSelectors.of(expression)).containsExactly(
                "http_server_requests_seconds_sum{job=~\"a|b\", uri!=\"/health\"}",
                "http_server_requests_seconds_count");
    }

    @Test
    void finds_both_sides_of_a_comparison_matched_on_a_label() {
        assertThat(PromQlSelectors.of("max by (target) (sluice_jobs_oldest_waiting_seconds) > on (target) "
                + "max by (target) (sluice_jobs_queue_expectation_seconds)"))
                .containsExactly("sluice_jobs_oldest_waiting_seconds", "sluice_jobs_queue_expectation_seconds");
    }

    @Test
    void finds_a_bare_metric_and_one_compared_with_a_number() {
        assertThat(PromQlSelectors.of("up")).containsExactly("up");
        assertThat(PromQlSelectors.of("sum(jvm_memory_max_bytes{area=\"heap\"} > 1e3) or vector(0)"))
                .containsExactly("jvm_memory_max_bytes{area=\"heap\"}");
    }
}
