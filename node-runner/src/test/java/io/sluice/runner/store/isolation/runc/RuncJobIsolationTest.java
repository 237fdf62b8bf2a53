package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.domain.ProcessExit;
import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two jobs on one node: neither sees nor touches the other's files and processes. */
class RuncJobIsolationTest extends RuncTestSupport {

    @Test
    void a_second_job_can_neither_see_nor_write_the_first_jobs_files() throws Exception {
        TestJob first = job("job-first");
        OutputCollector firstOutput = new OutputCollector();
        RunningProcess running = isolation.launch(first.process("keeper", "/bin/sh", "-c",
                "echo secret > /sluice/data/secret; echo secret > /tmp/secret; echo ready; exec sleep 600").build(),
                firstOutput);
        await().atMost(Duration.ofSeconds(10)).until(() -> firstOutput.stdout().contains("ready"));

        TestJob second = job("job-second");
        String firstData = first.dirs.data().toString();
        String firstLogs = first.dirs.jobLogs(first.jobId).toString();
        String script = String.join("\n",
                "if ls " + firstData + " >/dev/null 2>&1; then echo see_host_path=yes; else echo see_host_path=no; fi",
                "if (echo x > " + firstData + "/hack) 2>/dev/null; then echo write_host_path=yes; "
                        + "else echo write_host_path=no; fi",
                "if [ -e /sluice/data/secret ] || [ -e /tmp/secret ]; then echo see_secret=yes; "
                        + "else echo see_secret=no; fi",
                "if ls " + firstLogs + " >/dev/null 2>&1; then echo see_logs=yes; else echo see_logs=no; fi",
                "s=no; for p in /proc/[0-9]*; do { read -r c < $p/comm; } 2>/dev/null && [ \"$c\" = sleep ] && s=yes; "
                        + "done; echo see_sleep=$s");
        OutputCollector output = new OutputCollector();
        ProcessExit exit = isolation.launch(second.process("snoop", "/bin/sh", "-c", script).build(), output)
                .exit().get(30, TimeUnit.SECONDS);

        Map<String, String> seen = RuncProbeTest.parse(output.stdout());
        assertThat(exit.exitCode()).isZero();
        assertThat(seen).containsEntry("see_host_path", "no").containsEntry("write_host_path", "no")
                .containsEntry("see_secret", "no").containsEntry("see_logs", "no").containsEntry("see_sleep", "no");
        assertThat(first.dirs.data().resolve("hack")).doesNotExist();
        assertThat(running.exit()).isNotDone();
    }

    @Test
    void the_node_s_hidden_paths_are_empty_in_the_job_s_view_of_the_host() throws Exception {
        assertThat(Path.of("/etc/ssl")).isNotEmptyDirectory();
        assertThat(Path.of("/etc/hostname")).isNotEmptyFile();
        settings = settings.withHiddenPaths(List.of("/etc/ssl", "/etc/hostname", "/etc/sluice-no-such-path"));
        isolation.close();
        isolation = newIsolation();
        String script = "echo ssl_entries=$(ls -A /etc/ssl | wc -l); echo hostname_bytes=$(wc -c < /etc/hostname); "
                + "echo passwd=$(test -s /etc/passwd && echo seen)";

        OutputCollector output = new OutputCollector();
        ProcessExit exit = isolation.launch(job("job-hidden").process("look", "/bin/sh", "-c", script).build(),
                output).exit().get(30, TimeUnit.SECONDS);

        assertThat(exit.exitCode()).as(output.stderr()).isZero();
        assertThat(RuncProbeTest.parse(output.stdout())).containsEntry("ssl_entries", "0")
                .containsEntry("hostname_bytes", "0").containsEntry("passwd", "seen");
    }
}
