package io.sluice.runner.store.isolation.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spawner starts what it is asked to exactly as the JVM would (argv, environment, working directory, stdin from
 * /dev/null, output to the log), says how each ended, and a shim outlives its spawner.
 */
class ShimSpawnerTest {

    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path root;
    Path log;
    ShimSpawner spawner;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void spawner() {
        Shim installed = ShimInstaller.install(root.resolve("state"));
        installed.close();
        assertThat(installed.isNative()).as("the native shim is built with the module and runs here").isTrue();
        spawner = new ShimSpawner(root.resolve("state/bin/sluice-shim"));
        log = root.resolve("spawned.log");
    }

    @AfterEach
    void cleanUp() {
        spawner.close();
        started.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
    }

    @Test
    void starts_the_command_with_its_environment_working_directory_and_log() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));

        Process process = spawn(List.of("/bin/sh", "-c", "echo $GREETING; pwd; echo to-err >&2; cat; echo done"),
                Map.of("GREETING", "hello"), work);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(log).hasContent("hello\n" + work + "\nto-err\ndone");
    }

    @Test
    void reports_how_each_ended_as_a_shells_status() throws Exception {
        Process exits = spawn(List.of("/bin/sh", "-c", "exit 7"), ENV, root);
        Process killed = spawn(List.of("/bin/sh", "-c", "kill -KILL $$"), ENV, root);

        assertThat(exits.onExit().get(30, TimeUnit.SECONDS).exitValue()).isEqualTo(7);
        assertThat(killed.onExit().get(30, TimeUnit.SECONDS).exitValue()).isEqualTo(137);
    }

    @Test
    void a_command_that_cannot_start_is_an_error_naming_why_and_the_spawner_goes_on() throws Exception {
        assertThatThrownBy(() -> spawn(List.of("/bin/true"), ENV, root.resolve("no-such-dir")))
                .isInstanceOf(IOException.class).hasMessageContaining("No such file or directory");
        assertThatThrownBy(() -> spawn(List.of("/no/such/binary"), ENV, root))
                .isInstanceOf(IOException.class).hasMessageContaining("No such file or directory");

        Process next = spawn(List.of("/bin/true"), ENV, root);

        assertThat(next.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).isZero();
    }

    @Test
    void a_shim_outlives_its_spawner_whose_end_is_still_seen_and_the_next_spawn_starts_a_new_spawner()
            throws Exception {
        Process sleeper = startSleeper();
        ProcessHandle firstSpawner = parentOf(sleeper);

        firstSpawner.destroyForcibly();
        assertThat(firstSpawner.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();

        assertThat(sleeper.isAlive()).as("the shim runs on without its spawner").isTrue();
        assertThat(ProcessHandle.of(sleeper.pid()).map(ProcessHandle::isAlive)).contains(true);
        ProcessHandle.of(sleeper.pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(sleeper.onExit().get(30, TimeUnit.SECONDS).exitValue()).as("status unknown").isEqualTo(-1);

        Process next = startSleeper();
        assertThat(parentOf(next).pid()).isNotEqualTo(firstSpawner.pid());
    }

    @Test
    void closing_the_spawner_ends_it_but_not_the_shims_it_started() throws Exception {
        Process sleeper = startSleeper();
        ProcessHandle spawnerProcess = parentOf(sleeper);

        spawner.close();

        assertThat(spawnerProcess.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(ProcessHandle.of(sleeper.pid()).map(ProcessHandle::isAlive)).contains(true);
        assertThatThrownBy(() -> spawn(List.of("/bin/true"), ENV, root)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    private Process startSleeper() throws IOException {
        Files.deleteIfExists(log);
        Process sleeper = spawn(List.of("/bin/sh", "-c", "echo ready; exec sleep 60"), ENV, root);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readString(log).contains("ready"));
        return sleeper;
    }

    private static ProcessHandle parentOf(Process process) {
        ProcessHandle parent = ProcessHandle.of(process.pid()).flatMap(ProcessHandle::parent).orElseThrow();
        assertThat(parent.info().arguments()).hasValueSatisfying(args -> assertThat(args).contains("--spawner"));
        return parent;
    }

    private Process spawn(List<String> argv, Map<String, String> env, Path cwd) throws IOException {
        Process process = spawner.spawn(argv, env, cwd, log);
        started.add(process);
        return process;
    }
}
