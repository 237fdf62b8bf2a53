package io.sluice.well.store.provision.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.ReleaseRequest;

/** The command provisioner running small shell scripts as the operator's provision and release executables. */
class CommandProvisionerTest {

    private static final String SECRET = "s3cr3t-value";
    private static final Instant EXPIRES_AT = Instant.parse("2030-01-02T03:04:05Z");

    @TempDir
    Path dir;

    @Test
    void the_printed_values_become_metadata_and_the_secret_keys_secrets() throws Exception {
        Path provision = script("provision", "echo '{\"host\": \"lab-3\", \"port\": \"22\", \"token\": \"" + SECRET
                + "\"}'");

        ProvisionedResource resource = provisioner(provision, Duration.ofSeconds(30), Set.of("token", "unused"))
                .provision(request(Map.of()));

        assertThat(resource.metadata()).isEqualTo(Map.of("host", "lab-3", "port", "22"));
        assertThat(resource.secrets()).isEqualTo(Map.of("token", SECRET));
    }

    @Test
    void provision_gets_the_request_as_environment_variables_and_none_of_the_well_environment() throws Exception {
        String wellVariable = System.getenv().keySet().stream()
                .filter(name -> name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .filter(name -> !List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ").contains(name))
                .findFirst().orElseThrow();
        Path provision = script("provision", """
                printf '{"id":"%s","type":"%s","job":"%s","owner":"%s","slot":"%s","expires":"%s",\
                "region":"%s","dbname":"%s","inherited":"%s"}' \
                  "$SLUICE_INSTANCE_ID" "$SLUICE_RESOURCE_TYPE" "$SLUICE_JOB_ID" "$SLUICE_OWNER" "$SLUICE_SLOT" \
                  "$SLUICE_EXPIRES_AT" "$SLUICE_PARAM_REGION" "$SLUICE_PARAM_DB_NAME" "${WELL_VARIABLE-absent}"
                """.replace("WELL_VARIABLE", wellVariable));

        ProvisionedResource resource = provisioner(provision, Duration.ofSeconds(30), Set.of())
                .provision(request(Map.of("region", "eu-west", "db.name", "orders")));

        assertThat(resource.metadata()).isEqualTo(Map.of("id", "inst-1", "type", "lab-device", "job", "job-9",
                "owner", "alice", "slot", "2", "expires", "2030-01-02T03:04:05Z", "region", "eu-west",
                "dbname", "orders", "inherited", "absent"));
    }

    @Test
    void release_gets_the_instance_as_environment_variables_and_the_metadata_on_stdin() throws Exception {
        Path release = script("release", """
                cat > '%1$s/stdin.json'
                printf '%%s %%s' "$SLUICE_INSTANCE_ID" "$SLUICE_RESOURCE_TYPE" > '%1$s/env.txt'
                """.formatted(dir));

        new CommandProvisioner(new CommandProvisionerSettings(script("provision", "exit 1"), release,
                Duration.ofSeconds(30), Set.of()))
                .release(new ReleaseRequest("inst-1", "lab-device", Map.of("port", "22", "host", "lab \"3\"")));

        assertThat(Files.readString(dir.resolve("stdin.json")))
                .isEqualTo("{\"host\":\"lab \\\"3\\\"\",\"port\":\"22\"}");
        assertThat(Files.readString(dir.resolve("env.txt"))).isEqualTo("inst-1 lab-device");
    }

    @Test
    void a_failing_command_fails_with_its_exit_code_and_the_end_of_its_stderr_but_nothing_of_its_stdout()
            throws Exception {
        Path provision = script("provision", """
                echo '{"token": "%s"}'
                i=1; while [ $i -le 3000 ]; do echo "noise line $i" >&2; i=$((i+1)); done
                echo "the lab is closed" >&2
                exit 3
                """.formatted(SECRET));
        Path release = script("release", "echo 'no such device' >&2; exit 2");
        CommandProvisioner provisioner = new CommandProvisioner(
                new CommandProvisionerSettings(provision, release, Duration.ofSeconds(30), Set.of("token")));

        assertThatThrownBy(() -> provisioner.provision(request(Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessageStartingWith("provision command " + provision + " for instance inst-1 exited with code 3;"
                        + " stderr ends with:\nnoise line ")
                .hasMessageEndingWith("noise line 3000\nthe lab is closed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET)
                        .hasSizeLessThan(OperatorCommandRun.STDERR_TAIL + 200));
        assertThatThrownBy(() -> provisioner.release(new ReleaseRequest("inst-1", "lab-device", Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessage("release command " + release + " for instance inst-1 exited with code 2;"
                        + " stderr ends with:\nno such device");
    }

    @Test
    void a_command_running_past_its_timeout_is_killed_with_its_children() throws Exception {
        Path provision = script("provision", """
                sleep 300 &
                echo $! > '%s/child.pid'
                echo "waiting for the lab" >&2
                wait
                """.formatted(dir));
        CommandProvisioner provisioner = provisioner(provision, Duration.ofMillis(2500), Set.of());

        long startedAt = System.nanoTime();
        assertThatThrownBy(() -> provisioner.provision(request(Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessage("provision command " + provision + " for instance inst-1 did not finish within 2500 ms"
                        + " and was killed with its child processes; stderr ends with:\nwaiting for the lab");

        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(10));
        long child = Long.parseLong(Files.readString(dir.resolve("child.pid")).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> !running(child));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "echo 'token=s3cr3t-value'                               | it is not valid JSON (line 1, column",
            "printf '{\"token\": \"s3cr3t-value'                     | it is not valid JSON (line 1, column",
            "echo '[\"s3cr3t-value\"]'                               | its output is not a JSON object",
            "echo '{\"token\": 42}'                                  | the value of \"token\" is not a string",
            "echo '{\"token\": \"s3cr3t-value\", \"token\": \"b\"}'  | \"token\" appears twice",
            "echo '{\"token\": \"s3cr3t-value\"} {\"more\": \"x\"}'  | more follows the JSON object",
            "true                                                    | it printed nothing"})
    void output_that_is_not_one_object_of_string_values_fails_without_quoting_it(String body, String reason)
            throws Exception {
        Path provision = script("provision", body);

        assertThatThrownBy(() -> provisioner(provision, Duration.ofSeconds(30), Set.of("token"))
                .provision(request(Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessageStartingWith("provision command " + provision + " for instance inst-1 must print one JSON"
                        + " object of string values on stdout, but " + reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void a_command_printing_more_than_the_bound_is_killed_at_once() throws Exception {
        Path provision = script("provision", "yes '{\"token\": \"s3cr3t-value\"}'");

        long startedAt = System.nanoTime();
        assertThatThrownBy(() -> provisioner(provision, Duration.ofSeconds(30), Set.of()).provision(request(Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessage("provision command " + provision + " for instance inst-1 printed more than 64 KiB on"
                        + " stdout and was killed; (nothing on stderr)");

        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void parameters_that_would_share_a_variable_and_a_missing_executable_fail_before_running_anything() {
        Path marker = dir.resolve("ran");
        CommandProvisioner provisioner = provisioner(
                scriptUnchecked("provision", "touch '" + marker + "'; echo '{}'"), Duration.ofSeconds(30), Set.of());

        assertThatThrownBy(() -> provisioner.provision(request(Map.of("db-name", "a", "db_name", "b"))))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessageEndingWith("cannot run: the job's parameters db-name and db_name would both be"
                        + " SLUICE_PARAM_DB_NAME");
        assertThat(marker).doesNotExist();
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> provisioner(missing, Duration.ofSeconds(30), Set.of()).provision(request(Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessage("provision command " + missing + " for instance inst-1 cannot run: " + missing
                        + " is not an executable file");
    }

    @Test
    void settings_want_absolute_paths_and_default_to_a_minute() {
        Path absolute = dir.resolve("x");

        assertThat(new CommandProvisionerSettings(absolute, absolute, Set.of()).timeout())
                .isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> new CommandProvisionerSettings(Path.of("bin/take"), absolute, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the provision command must be an absolute path, not bin/take");
        assertThatThrownBy(() -> new CommandProvisionerSettings(absolute, Path.of("give"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the release command must be an absolute path, not give");
    }

    private CommandProvisioner provisioner(Path provision, Duration timeout, Set<String> secretKeys) {
        return new CommandProvisioner(new CommandProvisionerSettings(provision, scriptUnchecked("release", "exit 0"),
                timeout, secretKeys));
    }

    private static ProvisionRequest request(Map<String, String> parameters) {
        return new ProvisionRequest("inst-1", "lab-device", "job-9", "alice", parameters, 2, EXPIRES_AT);
    }

    private Path script(String name, String body) throws IOException {
        Path path = dir.resolve(name + ".sh");
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    private Path scriptUnchecked(String name, String body) {
        try {
            return script(name, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the process exists and is no zombie: a killed orphan may wait a moment to be reaped. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException e) {
            return false;
        }
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }
}
