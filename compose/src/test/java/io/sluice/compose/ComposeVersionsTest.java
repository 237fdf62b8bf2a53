package io.sluice.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The stack's broker and Prometheus are the versions the build tests Sluice with, so a user runs what CI ran. */
class ComposeVersionsTest {

    @Test
    void the_broker_image_is_the_kafka_version_of_the_build() {
        String kafka = Stack.buildProperty("kafka.version");

        assertThat(Stack.composeService("kafka").get("image"))
                .as("compose's broker against kafka.version in the root pom (the clients and the tests' broker)")
                .isEqualTo("apache/kafka:" + kafka);
    }

    @Test
    void the_prometheus_image_is_the_version_the_build_declares() {
        String prometheus = Stack.buildProperty("prometheus.version");

        assertThat(Stack.composeService("prometheus").get("image"))
                .as("compose's Prometheus against prometheus.version in the root pom")
                .isEqualTo("prom/prometheus:v" + prometheus);
    }

    @Test
    void the_prometheus_the_tests_run_is_the_version_the_build_declares() {
        String declared = Stack.buildProperty("prometheus.version");
        List<String> command = List.of(ExternalTool.require("prometheus", "prometheus").toString(), "--version");

        ExternalTool.Result result = ExternalTool.run(command);

        assertThat(result.succeeded()).as("%s said:%n%s", command, result.output()).isTrue();
        // "prometheus, version 2.42.0+ds (branch: ...)": Debian's suffix after the upstream version.
        Matcher version = Pattern.compile("version (\\d+\\.\\d+\\.\\d+)").matcher(result.output());
        assertThat(version.find()).as("a version in %s's output:%n%s", command, result.output()).isTrue();
        assertThat(version.group(1))
                .as("the Prometheus e2e's PrometheusE2ETest and these checks run (Debian's prometheus package) against"
                        + " prometheus.version in the root pom, which compose's image follows; change both together")
                .isEqualTo(declared);
    }
}
