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
    void helpListsTheCommandsAndSaysWhatIsNotWrittenYet() {
        assertThat(execute("--help")).isZero();

        assertThat(out.toString()).contains("dev ", "submit ", "watch ", "logs ", "cancel ")
                .contains("Not written yet: replay.");
    }

    @Test
    void submitHelpListsEveryOption() {
        assertThat(execute("submit", "--help")).isZero();

        assertThat(out.toString()).contains("--step", "--file", "--job-id", "--owner", "--name", "--target", "--env",
                "--label", "--run-timeout", "--queue-timeout", "--retries-on-node-loss", "--stop-grace",
                "--shutdown-signal", "--detach", "--timeout", "--bootstrap-servers", "--topic-prefix");
    }

    @Test
    void devHelpListsEveryOption() {
        assertThat(execute("dev", "--help")).isZero();

        assertThat(out.toString()).contains("--fresh", "--data-dir", "--kafka-port", "--postgres-port", "--services",
                "--base-port", "--startup-timeout", "--repo-dir");
    }

    @Test
    void anUnknownServiceIsAUsageErrorThatNamesTheKnownOnes() {
        assertThat(execute("dev", "--services", "job-service,billing")).isEqualTo(2);

        assertThat(err.toString()).contains("unknown service 'billing'")
                .contains("job-service,resource-well,worker-factory,node-runner")
                .contains("sluice dev --help");
    }

    @Test
    void twoServersOnOnePortIsAUsageError() {
        assertThat(execute("dev", "--kafka-port", "8082")).isEqualTo(2);

        assertThat(err.toString()).contains("--base-port (resource-well) and --kafka-port both use port 8082");
    }

    @Test
    void missingServiceJarsFailBeforeAnythingStartsAndSayHowToBuildThem(@TempDir Path emptyCheckout) {
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
