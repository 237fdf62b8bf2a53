package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthProbeTest {

    @Test
    void reads_the_overall_status_not_a_components_status() {
        String down = """
                {"name":"job-service","status":"DOWN","details":{"service":{"name":"job-service","status":"UP"},
                 "sluice":{"status":"DOWN","details":{"kafka":"UP: connected","startup":"DOWN: no schema"}}}}""";

        assertThat(HealthProbe.overallStatus(down)).isEqualTo("DOWN");
        assertThat(HealthProbe.overallStatus("{\"details\":{\"a\":{\"status\":\"UP\"}},\"status\":\"UP\"}")).isEqualTo("UP");
        assertThat(HealthProbe.overallStatus("<html>proxy error</html>")).isEmpty();
    }
}
