package io.sluice.runner.store.isolation.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.domain.StopSignal;
import io.sluice.runner.store.isolation.process.HostCommands;
import io.sluice.runner.store.isolation.process.ProcFiles;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both shims, native and the shell fallback, run a command the same way and record its status as {@code $?}. */
class ShimTest {

    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path root;
    Path status;
    Path stdout;
    Path stderr;
    Path shimLog;
    Process running;
    Shim installed;

    @BeforeEach
    void paths() {
        status = root.resolve("exit_status");
        stdout = root.resolve("p.stdout.log");
        stderr = root.resolve("p.stderr.log");
        shimLog = root.resolve("shim.log");
    }

    @AfterEach
    void killLeftovers() {
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
        if (installed != null) {
            installed.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "shell"})
    void the_commands_exit_code_is_recorded(String variant) throws Exception {
        assertThat(runToEnd(variant, "/bin/sh", "-c", "exit 7")).isEqualTo("7");
        assertThat(runToEnd(variant, "/bin/true")).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "shell"})
    void a_command_killed_by_a_signal_is_recorded_as_128_plus_its_number(String variant) throws Exception {
        assertThat(runToEnd(variant, "/bin/sh", "-c", "kill -KILL $$")).isEqualTo("137");
        assertThat(runToEnd(variant, "/bin/sh", "-c", "kill -TERM $$")).isEqualTo("143");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "shell"})
    void a_command_that_cannot_be_executed_gets_the_shells_status(String variant) throws Exception {
        assertThat(runToEnd(variant, "no-such-command-anywhere")).isEqualTo("127");
        assertThat(runToEnd(variant, "/no/such/dir/command")).isEqualTo("127");
        Path notExecutable = Files.writeString(root.resolve("not-executable"), "echo never\n");
        assertThat(runToEnd(variant, notExecutable.toString())).isEqualTo("126");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native"})
    void the_native_shim_explains_an_exec_failure_in_its_log(String variant) throws Exception {
        runToEnd(variant, "no-such-command-anywhere");

        assertThat(Files.readString(shimLog)).contains("sluice-shim: cannot execute no-such-command-anywhere");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "shell"})
    void output_is_appended_to_the_logs_and_stdin_is_empty(String variant) throws Exception {
        Files.writeString(stdout, "before\n");
        Files.writeString(stderr, "before-err\n");

        runToEnd(variant, "/bin/sh", "-c", "echo out; echo err >&2; cat; echo stdin-done");
        runToEnd(variant, "/bin/sh", "-c", "echo again");

        assertThat(stdout).hasContent("before\nout\nstdin-done\nagain");
        assertThat(stderr).hasContent("before-err\nerr");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "shell"})
    void the_shim_leads_its_own_session_and_outlives_term_to_its_process_group(String variant) throws Exception {
        running = start(variant, "/bin/sh", "-c", "echo ready; exec sleep 60");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(stdout).contains("ready"));
        long shim = running.pid();

        assertThat(sessionOf(shim)).isEqualTo(shim).isNotEqualTo(sessionOf(ProcessHandle.current().pid()));
        assertThat(running.descendants().toList()).hasSize(1);
        HostCommands.Result kill = ProcessGroups.signal(shim, "TERM");

        assertThat(kill.ok()).as(kill.output()).isTrue();
        assertThat(running.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exitValue()).as("the shim's own exit").isZero();
        assertThat(Files.readString(status).strip()).as("the command's status").isEqualTo("143");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "shell"})
    void the_shim_is_recognised_by_its_exit_status_file(String variant) throws Exception {
        ProcessStateDir dir = new ProcessStateDir(Files.createDirectories(root.resolve("state")));
        ProcessRecord record = new ProcessRecord("w", "p", "j", IsolationMode.NONE, "id", null, stdout.toString(),
                stderr.toString(), 0, 0, "2026-12-01T00:00:00Z", StopSignal.TERM, 0);
        running = shim(variant).start(dir, record, List.of("/bin/sh", "-c", "echo ready; exec sleep 60"), ENV, root);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(stdout).contains("ready"));

        assertThat(Shim.alive(dir)).isTrue();
        running.descendants().forEach(ProcessHandle::destroyForcibly);
        assertThat(running.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Shim.alive(dir)).isFalse();
        assertThat(dir.readExitStatus()).contains(137);
    }

    private String runToEnd(String variant, String... command) throws Exception {
        Files.deleteIfExists(status);
        Process process = start(variant, command);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the shim's own exit").isZero();
        return Files.readString(status).strip();
    }

    private Process start(String variant, String... command) throws IOException {
        return shim(variant).spawn(status, stdout.toString(), stderr.toString(), List.of(command), ENV, root,
                shimLog);
    }

    private Shim shim(String variant) {
        if (variant.equals("shell")) {
            return Shim.shell();
        }
        if (installed == null) {
            installed = ShimInstaller.install(root.resolve("state-root"));
        }
        assertThat(installed.isNative()).as("the native shim is built with the module and runs here").isTrue();
        return installed;
    }

    private static long sessionOf(long pid) throws IOException {
        String stat = ProcFiles.read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
