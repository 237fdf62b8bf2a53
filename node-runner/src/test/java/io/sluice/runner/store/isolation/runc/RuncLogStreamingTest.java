package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.runner.store.isolation.process.OutputCollector;
import io.sluice.runner.store.isolation.process.OutputListener;
import io.sluice.runner.store.isolation.process.OutputStream;
import io.sluice.runner.store.isolation.process.RunningProcess;
import io.sluice.runner.store.isolation.process.TestJob;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Output reaches the log files and the listener while the process runs, in order and whole, also across a stop. */
class RuncLogStreamingTest extends RuncTestSupport {

    /** How quickly is for LogLatencyBenchmark (docs/benchmarks.md); this checks that lines come while it runs. */
    @Test
    void lines_reach_the_listener_while_the_process_runs_in_the_order_written() throws Exception {
        TestJob job = job("job-live");
        OutputCollector output = new OutputCollector();
        RunningProcess process = isolation.launch(job.process("live", "/bin/sh", "-c",
                "for i in 1 2 3 4 5; do echo \"line $i\"; done; while [ ! -e /sluice/data/go ]; do sleep 0.02; done; "
                        + "echo last").build(), output);

        await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().contains("line 5"));
        assertThat(process.exit()).isNotDone();
        Files.createFile(job.dirs.data().resolve("go"));
        process.exit().get(30, TimeUnit.SECONDS);

        assertThat(output.stdout()).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\nlast\n");
    }

    @Test
    void nothing_is_lost_when_a_process_is_stopped_and_streams_stay_in_order() throws Exception {
        TestJob job = job("job-flood");
        OutputCollector output = new OutputCollector();
        RunningProcess process = isolation.launch(job.process("flood", "/bin/sh", "-c",
                "i=0; while :; do echo \"line $i\"; echo \"err $i\" >&2; i=$((i+1)); done").build(), output);
        await().atMost(Duration.ofSeconds(10)).until(() -> output.stdout().length() > 100_000);

        process.stop().get(30, TimeUnit.SECONDS);

        byte[] stdoutFile = Files.readAllBytes(job.log("flood", OutputStream.STDOUT));
        assertThat(output.bytes(OutputStream.STDOUT)).isEqualTo(stdoutFile);
        assertThat(output.bytes(OutputStream.STDERR))
                .isEqualTo(Files.readAllBytes(job.log("flood", OutputStream.STDERR)));
        String[] lines = output.stdout().split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i]).isEqualTo("line " + i);
        }
    }

    @Test
    void output_goes_to_the_jobs_log_files() throws Exception {
        TestJob job = job("job-files");
        isolation.launch(job.process("talk", "/bin/sh", "-c", "echo out; echo err >&2; echo own > /sluice/logs/x.log")
                .build(), OutputListener.DISCARD).exit().get(30, TimeUnit.SECONDS);

        assertThat(job.log("talk", OutputStream.STDOUT)).hasContent("out");
        assertThat(job.log("talk", OutputStream.STDERR)).hasContent("err");
        assertThat(job.dirs.jobLogs(job.jobId).resolve("x.log")).hasContent("own");
    }
}
