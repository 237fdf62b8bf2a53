package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.logs.LogChunk;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.runner.publish.logs.LogShipper;
import io.sluice.runner.store.isolation.process.HostCommands;
import io.sluice.runner.store.isolation.process.JobLogDirectory;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's log directory is bounded by the node's log quota under runc: output and files past it are refused, the log
 * stream says the output was cut, and cleanup keeps only the processes' stdout and stderr files.
 */
class JobLogQuotaTest {

    private static final String NODE = "node-quota";
    private static final long QUOTA = 1024 * 1024;
    /** Far above the quota, so that the quota, not the cap, cuts the stream. */
    private static final long LOG_CAP = 64L * 1024 * 1024;

    @TempDir
    Path stateDir;

    private NodeHarness harness;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        harness = new NodeHarness("node-runner-quota", NODE);
        runner = harness.startRunnerWithLogQuota(stateDir, LOG_CAP, QUOTA);
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        harness.close();
        // A failed test may leave a job's quota mounted; the temporary directory cannot go while it is.
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(stateDir.toString() + "/")) {
                HostCommands.run(List.of("umount", "-l", mountPoint), Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void output_far_past_the_quota_stops_at_it_and_the_log_stream_says_it_was_cut() throws Exception {
        harness.send(harness.prepare("w1", "job-1"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
        harness.send(harness.launch("w1", "job-1", "flood", "head -c 20000000 /dev/zero | tr '\\0' x"));

        Path jobLogs = stateDir.resolve("logs").resolve("job-1");
        AtomicLong mostUsed = new AtomicLong();
        ProcessExited exited = await().atMost(NodeHarness.DEADLINE).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    mostUsed.accumulateAndGet(usedBytes(jobLogs), Math::max);
                    return exitOf("flood");
                }, Optional::isPresent).orElseThrow();

        // runc copies the job's output to its files through a pipe; refused space, it stops reading: SIGPIPE.
        assertThat(exited.getExitCode()).as("128 + SIGPIPE, from the shell").isEqualTo(141);
        assertThat(mostUsed.get()).as("the job's log directory at its fullest").isLessThanOrEqualTo(QUOTA);
        long written = Files.size(jobLogs.resolve("flood.stdout.log"));
        assertThat(written).isLessThanOrEqualTo(QUOTA).isGreaterThan(QUOTA - 64 * 1024);
        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> {
            List<LogChunk> chunks = harness.logsOf("job-1", "flood");
            LogChunk last = chunks.get(chunks.size() - 1);
            assertThat(last.getTruncated()).isTrue();
            assertThat(NodeHarness.text(List.of(last))).endsWith(LogShipper.quotaMarker(QUOTA));
            assertThat(NodeHarness.text(chunks).replace(LogShipper.quotaMarker(QUOTA), ""))
                    .hasSize((int) written).matches("x+");
            assertThat(chunks).extracting(LogChunk::getSequence)
                    .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
        });

        // The node goes on: another job runs and ships its output whole.
        harness.send(harness.prepare("w2", "job-2"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w2"));
        harness.send(harness.launch("w2", "job-2", "calm", "echo still here"));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("calm")).getExitCode())
                .isZero();
        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> {
            List<LogChunk> chunks = harness.logsOf("job-2", "calm");
            assertThat(NodeHarness.text(chunks)).isEqualTo("still here\n");
            assertThat(chunks).noneMatch(LogChunk::getTruncated);
        });
    }

    @Test
    void a_big_file_the_job_writes_in_its_log_directory_hits_the_quota_and_only_its_output_outlives_cleanup()
            throws Exception {
        Path decoy = stateDir.resolve("root-only");
        Files.writeString(decoy, "root's own\n");
        Files.setPosixFilePermissions(decoy, PosixFilePermissions.fromString("rw-------"));
        harness.send(harness.prepare("w3", "job-3"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w3"));
        harness.send(harness.launch("w3", "job-3", "hoarder", "echo before; mkdir $SLUICE_LOG_DIR/stash; "
                + "echo kept? > $SLUICE_LOG_DIR/stash/note; echo fake > $SLUICE_LOG_DIR/other.stdout.log; "
                + "ln -s " + decoy + " $SLUICE_LOG_DIR/next.stdout.log; "
                + "dd if=/dev/zero of=$SLUICE_LOG_DIR/big bs=1M count=50 2>/dev/null; exit $(( $? == 0 ? 0 : 42 ))"));

        ProcessExited exited = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("hoarder"));
        Path jobLogs = stateDir.resolve("logs").resolve("job-3");
        assertThat(exited.getExitCode()).as("dd was refused space").isEqualTo(42);
        assertThat(Files.size(jobLogs.resolve("big"))).isLessThanOrEqualTo(QUOTA);
        assertThat(usedBytes(jobLogs)).isLessThanOrEqualTo(QUOTA);
        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> {
            List<LogChunk> chunks = harness.logsOf("job-3", "hoarder");
            assertThat(NodeHarness.text(chunks)).isEqualTo("before\n" + LogShipper.quotaMarker(QUOTA));
            assertThat(chunks.get(chunks.size() - 1).getTruncated()).isTrue();
        });

        // A later process of the job whose log file the job made a link to a file of root's: the link is not its log.
        Files.delete(jobLogs.resolve("big"));
        harness.send(harness.launch("w3", "job-3", "next", "echo next"));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("next")).getExitCode())
                .isZero();
        assertThat(Files.readString(decoy)).isEqualTo("root's own\n");
        assertThat(Files.readString(jobLogs.resolve("next.stdout.log"))).isEqualTo("next\n");

        harness.send(harness.destroy("w3", "job-3"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w3"));
        assertThat(JobLogDirectory.isMountPoint(jobLogs)).as("the quota is unmounted").isFalse();
        assertThat(namesIn(jobLogs)).containsExactly("hoarder.stderr.log", "hoarder.stdout.log", "next.stderr.log",
                "next.stdout.log");
        assertThat(Files.readString(jobLogs.resolve("hoarder.stdout.log"))).isEqualTo("before\n");
        assertThat(Files.readString(jobLogs.resolve("next.stdout.log"))).isEqualTo("next\n");
        assertThat(namesIn(stateDir.resolve("logs"))).as("no staging left beside the job's logs")
                .containsExactly("job-3");
    }

    private Optional<ProcessExited> exitOf(String process) {
        return harness.nodeEvents().stream().filter(ProcessExited.class::isInstance).map(ProcessExited.class::cast)
                .filter(e -> e.getProcess().equals(process)).findFirst();
    }

    /** What the job's log directory holds, as its file system counts it (0 before it exists). */
    private static long usedBytes(Path jobLogs) throws IOException {
        if (!JobLogDirectory.isMountPoint(jobLogs)) {
            return 0;
        }
        FileStore store = Files.getFileStore(jobLogs);
        assertThat(store.getTotalSpace()).as("the quota's size").isEqualTo(QUOTA);
        return store.getTotalSpace() - store.getUsableSpace();
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir, 1)) {
            return entries.filter(p -> !p.equals(dir))
                    .peek(p -> assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p))
                            .isTrue())
                    .map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
