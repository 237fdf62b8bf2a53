package io.sluice.runner.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Output reaches the log files and the listener: quickly, in order, and completely, also across a stop. */
class RuncLogStreamingTest extends RuncTestSupport {

    @Test
    void aLineReachesTheListenerWithin100Milliseconds() throws Exception {
        TestJob job = job("job-latency");
        List<Long> latencies = new ArrayList<>();
        OutputListener listener = (name, stream, bytes) -> {
            Instant arrived = Instant.now();
            long now = arrived.getEpochSecond() * 1_000_000_000L + arrived.getNano();
            for (String line : new String(bytes).split("\n")) {
                if (!line.isBlank()) {
                    synchronized (latencies) {
                        latencies.add((now - Long.parseLong(line.strip())) / 1_000_000);
                    }
                }
            }
        };
        RunningProcess process = isolation.launch(job.process("clock", "/bin/sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do date +%s%N; sleep 0.07; done").build(), listener);

        process.exit().get(30, TimeUnit.SECONDS);

        synchronized (latencies) {
            assertThat(latencies).hasSize(10);
            assertThat(latencies.stream().mapToLong(Long::longValue).max().orElseThrow())
                    .as("latencies in ms: %s", latencies).isLessThan(100);
        }
    }

    @Test
    void nothingIsLostWhenAProcessIsStoppedAndStreamsStayInOrder() throws Exception {
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
    void outputGoesToTheJobsLogFiles() throws Exception {
        TestJob job = job("job-files");
        isolation.launch(job.process("talk", "/bin/sh", "-c", "echo out; echo err >&2; echo own > /sluice/logs/x.log")
                .build(), OutputListener.DISCARD).exit().get(30, TimeUnit.SECONDS);

        assertThat(job.log("talk", OutputStream.STDOUT)).hasContent("out");
        assertThat(job.log("talk", OutputStream.STDERR)).hasContent("err");
        assertThat(job.dirs.jobLogs(job.jobId).resolve("x.log")).hasContent("own");
    }
}
