package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.domain.ProcessKey;
import io.sluice.runner.store.isolation.process.LogOffsets;
import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runner can die at any time: its processes keep running, and a new runner adopts them and their exits. */
class RuncRestartTest extends RuncTestSupport {

    @Test
    void a_runner_killed_with_sigkill_leaves_processes_that_the_next_runner_adopts() throws Exception {
        isolation.close(); // the runner in the other JVM owns the state root until it dies
        Process runner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunnerThatDies.class.getName(), root.toString(),
                settings.cgroupParent()).redirectErrorStream(true).start();
        StringBuffer runnerOutput = new StringBuffer();
        Thread.ofVirtual().start(() -> copy(runner.getInputStream(), runnerOutput));
        await().atMost(Duration.ofSeconds(60)).until(() -> runnerOutput.toString().contains("launched"));

        runner.destroyForcibly();
        assertThat(runner.waitFor(10, TimeUnit.SECONDS)).isTrue();
        TestJob job = job("job-restart");
        Files.createFile(job.dirs.data().resolve("go"));
        isolation = newIsolation();
        Path shortStatus = isolation.stateDirOf(new ProcessKey(job.workerId, "short")).exitStatusFile();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(shortStatus));

        assertThat(isolation.listKnown()).containsExactlyInAnyOrder(new ProcessKey(job.workerId, "long"),
                new ProcessKey(job.workerId, "short"));
        OutputCollector shortOutput = new OutputCollector();
        RunningProcess exited = isolation.adopt(job.workerId, "short", shortOutput).orElseThrow();
        assertThat(exited.exit().get(10, TimeUnit.SECONDS).exitCode()).isEqualTo(7);
        assertThat(shortOutput.stdout()).isEqualTo("bye\n");

        OutputCollector longOutput = new OutputCollector();
        RunningProcess running = isolation.adopt(job.workerId, "long", longOutput, new LogOffsets(7, 0))
                .orElseThrow();
        assertThat(running.exit()).isNotDone();
        assertThat(running.pid()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> longOutput.stdout().contains("tick 40"));
        ProcessExit stopped = running.stop().get(30, TimeUnit.SECONDS);

        assertThat(stopped.signal()).isEqualTo("TERM");
        byte[] log = Files.readAllBytes(job.log("long", OutputStream.STDOUT));
        assertThat(longOutput.stdout()).as("resumed at byte 7").isEqualTo(new String(log, 7, log.length - 7));
        assertNoProcessLeft(running.key());
        assertThat(isolation.launch(job.process("short", "/bin/true").build(), OutputListener.DISCARD))
                .as("a duplicate launch after the restart starts nothing").isSameAs(exited);
    }

    @Test
    void a_process_whose_shim_vanished_is_stopped_and_reported_lost() throws Exception {
        TestJob job = job("job-lost");
        RunningProcess process = isolation.launch(job.process("orphan", "/bin/sh", "-c", "exec sleep 600").build(),
                OutputListener.DISCARD);
        long shim = isolation.stateDirOf(process.key()).readShimPid().orElseThrow();

        ProcessHandle.of(shim).orElseThrow().destroyForcibly();
        ProcessExit exit = process.exit().get(30, TimeUnit.SECONDS);

        assertThat(exit.lost()).isTrue();
        assertNoProcessLeft(process.key());
        assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    private static void copy(InputStream in, StringBuffer into) {
        try (in) {
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                into.append(new String(buffer, 0, read));
            }
        } catch (IOException ignored) {
            // the runner died
        }
    }
}
