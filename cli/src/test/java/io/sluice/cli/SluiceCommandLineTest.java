package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void help_lists_the_commands() {
        assertThat(execute("--help")).isZero();

        assertThat(out.toString()).contains("dev ", "submit ", "watch ", "logs ", "cancel ", "replay ")
                .doesNotContain("Not written yet");
    }

    @Test
    void submit_help_lists_every_option() {
        assertThat(execute("submit", "--help")).isZero();

        assertThat(out.toString()).contains("--step", "--file", "--job-id", "--owner", "--name", "--target", "--env",
                "--label", "--run-timeout", "--queue-timeout", "--retries-on-node-loss", "--stop-grace",
                "--shutdown-signal", "--detach", "--timeout", "--bootstrap-servers", "--topic-prefix");
    }

    @Test
    void dev_help_lists_every_option() {
        assertThat(execute("dev", "--help")).isZero();

        assertThat(out.toString()).contains("--fresh", "--data-dir", "--kafka-port", "--postgres-port", "--services",
                "--base-port", "--startup-timeout", "--repo-dir");
    }

    @Test
    void an_unknown_service_is_a_usage_error_that_names_the_known_ones() {
        assertThat(execute("dev", "--services", "job-service,billing")).isEqualTo(2);

        assertThat(err.toString()).contains("unknown service 'billing'")
                .contains("job-service,resource-well,worker-factory,node-runner")
                .contains("sluice dev --help");
    }

    @Test
    void two_servers_on_one_port_is_a_usage_error() {
        assertThat(execute("dev", "--kafka-port", "8082")).isEqualTo(2);

        assertThat(err.toString()).contains("--base-port (resource-well) and --kafka-port both use port 8082");
    }

    @Test
    void missing_service_jars_fail_before_anything_starts_and_say_how_to_build_them(@TempDir Path emptyCheckout) {
        int exitCode = execute("dev", "--repo-dir", emptyCheckout.toString(), "--services", "job-service,node-runner");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString())
                .contains(emptyCheckout.resolve("job-service/target/job-service.jar").toString())
                .contains(emptyCheckout.resolve("node-runner/target/node-runner.jar").toString())
                .contains("run ./mvnw package -DskipTests");
    }

    private int execute(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }
}
