package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and an unreachable broker: one plain message naming what is wrong, the documented exit code. */
class JobCommandErrorsTest {

    @TempDir
    Path directory;

    @Test
    void a_step_without_a_command_is_a_usage_error() {
        SluiceRun submit = SluiceRun.run("submit", "--step", "build");

        assertThat(submit.awaitExit()).isEqualTo(2);
        assertThat(submit.err()).contains("--step", "'build' has no '=': write NAME=COMMAND");
        submit.assertNoStackTrace();
    }

    @Test
    void an_unknown_shutdown_signal_is_a_usage_error_naming_the_known_ones() {
        SluiceRun submit = SluiceRun.run("submit", "--step", "a=true", "--shutdown-signal", "KILL");

        assertThat(submit.awaitExit()).isEqualTo(2);
        assertThat(submit.err()).contains("--shutdown-signal", "KILL", "TERM", "INT");
        submit.assertNoStackTrace();
    }

    @Test
    void a_duration_without_a_unit_is_a_usage_error() {
        SluiceRun submit = SluiceRun.run("submit", "--step", "a=true", "--run-timeout", "30");

        assertThat(submit.awaitExit()).isEqualTo(2);
        assertThat(submit.err()).contains("--run-timeout", "'30' is not a duration: write a number and a unit");
    }

    @Test
    void a_job_needs_a_step_and_each_step_its_own_name() {
        SluiceRun none = SluiceRun.run("submit", "--name", "empty");
        SluiceRun twice = SluiceRun.run("submit", "--step", "a=true", "--step", "a=false");

        assertThat(none.awaitExit()).isEqualTo(2);
        assertThat(none.err()).contains("a job needs at least one step: give --step NAME=COMMAND, or a --file");
        assertThat(twice.awaitExit()).isEqualTo(2);
        assertThat(twice.err()).contains("step name 'a' is used twice");
    }

    @Test
    void a_missing_job_file_is_a_usage_error() {
        Path missing = directory.resolve("nope.json");

        SluiceRun submit = SluiceRun.run("submit", "--file", missing.toString());

        assertThat(submit.awaitExit()).isEqualTo(2);
        assertThat(submit.err()).contains("--file " + missing + ": no such file");
    }

    @Test
    void a_job_file_mistake_is_reported_with_the_field_path_and_place() throws IOException {
        assertFileError("""
                {"steps": [{"name": "a", "script": "true"}, {"name": "b", "scrpt": "true"}]}""",
                "steps[1]: unknown field 'scrpt'; the fields here are argv, capabilities, env, limits, name, script, "
                        + "shutdownSignal, stopGrace, workdir (line 1, column");
        assertFileError("""
                {"steps": [{"name": "a", "script": "true",
                            "shutdownSignal": "KILL"}]}""",
                "steps[0].shutdownSignal: 'KILL' is not one of TERM, INT (line 2, column");
        assertFileError("""
                {"steps": [{"name": "a", "argv": "echo hi"}]}""", "steps[0].argv: expected a list [...]");
        assertFileError("""
                {"runTimeout": "ten minutes", "steps": [{"name": "a", "script": "true"}]}""",
                "runTimeout: 'ten minutes' is not a duration");
        assertFileError("""
                {"steps": [{"name": "a", "script": "true", "limits": {"memoryBytes": "lots"}}]}""",
                "steps[0].limits.memoryBytes: 'lots' is not a size");
        assertFileError("""
                {"steps": [{"name": "a", "script": "true"},]}""",
                "steps: not valid JSON: Unexpected character (']' (code 93)): expected a valid value");
        assertFileError("""
                {"steps": [{"name": "a" "script": "true"}]}""", "steps[0]: not valid JSON: Unexpected character ('\"' (code 34)): was expecting comma to separate "
                        + "Object entries (line 1, column 25)");
        assertFileError("[]", "expected an object {...}");
        assertFileError("""
                {"steps": [{"script": "true"}, {"name": "b", "argv": ["x"], "script": "y"}]}""",
                "steps[0].name: missing; every step needs a name; steps[1]: give exactly one of argv");
        assertFileError("""
                {"steps": [{"name": "a", "script": "true", "env": {"A": null}}]}""",
                "steps[0].env.A: is null, expected a string");
    }

    @Test
    void a_yaml_job_file_and_a_json_one_with_the_same_mistake_name_the_same_field_path_and_line() throws IOException {
        String json = """
                {"steps": [{"name": "a", "script": "true"},
                           {"name": "b", "script": "true", "shutdownSignal": "KILL"}]}""";
        String yaml = """
                steps:
                  - name: a
                    script: "true"
                  - name: b
                    script: "true"
                    shutdownSignal: KILL
                """;
        String message = "steps[1].shutdownSignal: 'KILL' is not one of TERM, INT";

        assertThat(fileError(json, ".json")).contains(message + " (line 2, column");
        assertThat(fileError(yaml, ".yaml")).contains(message + " (line 6, column");

        String unknownField = "steps[0]: unknown field 'scrpt'; the fields here are argv, capabilities, env, limits, "
                + "name, script, shutdownSignal, stopGrace, workdir";
        assertThat(fileError("{\"steps\": [{\"name\": \"a\", \"scrpt\": \"true\"}]}", ".json"))
                .contains(unknownField + " (line 1, column");
        // YAML's parser stands after the unknown field's value when Jackson reports it: the next line here.
        assertThat(fileError("steps:\n  - name: a\n    scrpt: 'true'\n", ".yml"))
                .contains(unknownField + " (line 4, column 1)");
        assertThat(fileError("steps:\n  - name: a\n    script: true\n    limits: {memoryBytes: lots}\n", ".yaml"))
                .contains("steps[0].limits.memoryBytes: 'lots' is not a size");
        assertThat(fileError("steps: [\n  - name: a\n", ".yaml")).contains("not valid YAML: ");
    }

    @Test
    void a_bad_topic_prefix_or_broker_address_is_a_usage_error() {
        SluiceRun prefix = SluiceRun.run("watch", "job-1", "--topic-prefix", "my prefix");
        SluiceRun address = SluiceRun.run("watch", "job-1", "--bootstrap-servers", "no-port-here");

        assertThat(prefix.awaitExit()).isEqualTo(2);
        assertThat(prefix.err()).contains("--topic-prefix: topic prefix 'my prefix' may only contain");
        assertThat(address.awaitExit()).isEqualTo(2);
        assertThat(address.err()).contains("--bootstrap-servers 'no-port-here'");
        address.assertNoStackTrace();
    }

    @Test
    void an_unreachable_broker_is_reported_within_bounded_time_with_exit_code_three() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long startedAt = System.nanoTime();

        SluiceRun watch = SluiceRun.run("watch", "job-1", "--bootstrap-servers", "localhost:" + closedPort);

        assertThat(watch.awaitExit()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(30));
        assertThat(watch.err()).contains("no answer from the Kafka broker at localhost:" + closedPort + " within 10 s");
        watch.assertNoStackTrace();
    }

    private void assertFileError(String json, String expected) throws IOException {
        assertThat(fileError(json, ".json")).contains(expected);
    }

    /** What submit says of a job file with {@code text} and the name ending {@code suffix}, after the file's name. */
    private String fileError(String text, String suffix) throws IOException {
        Path file = Files.writeString(Files.createTempFile(directory, "job", suffix), text);

        SluiceRun submit = SluiceRun.run("submit", "--file", file.toString());

        assertThat(submit.awaitExit()).as(submit.err()).isEqualTo(2);
        assertThat(submit.err()).contains("--file " + file + ": ");
        submit.assertNoStackTrace();
        return submit.err().substring(submit.err().indexOf("--file " + file + ": ") + ("--file " + file + ": ").length());
    }
}
