package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;
import io.sluice.events.InputFile;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessLaunchFailed;
import io.sluice.events.node.WorkerPrepareFailed;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.runner.store.isolation.runc.RuncIsolation;
import io.sluice.runner.publish.logs.LogShipper;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.LongStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node runner driven through Kafka runs processes under runc and reports what they did. */
class NodeRunnerTest {

    private static final String NODE = "node-1";
    private static final long LOG_CAP = 1024 * 1024;

    @TempDir
    Path stateDir;

    private NodeHarness harness;
    private NodeRunner runner;

    @BeforeEach
    void start() throws Exception {
        harness = new NodeHarness("node-runner", NODE);
        runner = harness.startRunner(stateDir, LOG_CAP);
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        harness.close();
    }

    @Test
    void a_process_runs_its_output_reaches_the_log_topic_and_its_exit_code_is_reported() throws Exception {
        harness.send(harness.prepare("w1", "job-1"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));

        NodeCommandEnvelope launch = harness.send(harness.launch("w1", "job-1", "build",
                "echo \"$GREETING from $(id -u)\"; echo oops >&2; exit 3"));
        ProcessStarted started = harness.awaitEvent(ProcessStarted.class, e -> e.getProcess().equals("build"));
        ProcessExited exited = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("build"));

        assertThat(started.getPid()).isPositive();
        assertThat(exited.getExitCode()).isEqualTo(3);
        assertThat(exited.getSignal()).isNull();
        assertThat(exited.getOomKilled()).isFalse();
        assertThat(exited.getStopRequested()).isFalse();
        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> {
            List<LogChunk> logs = harness.logs();
            assertThat(NodeHarness.text(logs.stream().filter(c -> c.getStream() == LogStream.STDOUT).toList()))
                    .contains("hello from ").doesNotContain("from 0\n");
            assertThat(NodeHarness.text(logs.stream().filter(c -> c.getStream() == LogStream.STDERR).toList()))
                    .contains("oops\n");
        });

        // The same command again, and another command for the same process: neither starts anything new.
        harness.resend(launch);
        harness.send(harness.launch("w1", "job-1", "build", "echo again"));
        harness.send(harness.destroy("w1", "job-1"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w1"));
        assertThat(harness.nodeEvents()).filteredOn(ProcessStarted.class::isInstance).hasSize(1);
        assertThat(stateDir.resolve("workers/w1")).doesNotExist();
    }

    @Test
    void a_stopped_process_gets_its_shutdown_signal_and_its_exit_is_reported_as_requested() throws Exception {
        harness.send(harness.prepare("w2", "job-2"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w2"));
        harness.send(harness.launch("w2", "job-2", "serve", "trap 'echo got TERM; exit 0' TERM; "
                + "echo ready; while true; do sleep 0.1; done"));
        await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("ready"));

        harness.send(harness.stop("w2", "job-2", "serve"));
        ProcessExited exited = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("serve"));

        assertThat(exited.getStopRequested()).isTrue();
        assertThat(exited.getExitCode()).isZero();
        await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("got TERM"));
    }

    @Test
    void impossible_commands_are_rejected_with_the_reason_and_the_runner_goes_on() throws Exception {
        harness.send(harness.launch("nobody", "job-3", "build", "true"));
        CommandRejected unknownWorker = harness.awaitEvent(CommandRejected.class,
                e -> "nobody".equals(e.getWorkerId()));
        assertThat(unknownWorker.getReason()).contains("no worker nobody");

        harness.send(harness.prepare("w3", "job-3"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w3"));
        harness.send(harness.launch("w3", "job-3", "../escape", "true"));
        CommandRejected badName = harness.awaitEvent(CommandRejected.class,
                e -> e.getReason().contains("../escape"));
        assertThat(badName.getCommand()).isEqualTo("LaunchProcess");

        harness.send(harness.launch("w3", "job-3", "fine", "exit 0"));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("fine")).getExitCode()).isZero();
    }

    @Test
    void inputs_are_fetched_once_per_node_verified_and_a_bad_one_fails_the_worker_with_the_reason() throws Exception {
        Path tool = Files.writeString(stateDir.resolveSibling(stateDir.getFileName() + "-tool.sh"), "echo tool\n");
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tool)));
        InputFile input = InputFile.newBuilder().setSha256(digest).setFetchUri(tool.toUri().toString())
                .setPath("bin/tool.sh").setExecutable(true).setSizeBytes(null).build();

        harness.send(withInputs(harness.prepare("w-in-1", "job-in"), input));
        WorkerPrepared first = harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w-in-1"));
        harness.send(withInputs(harness.prepare("w-in-2", "job-in"), input));
        WorkerPrepared second = harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w-in-2"));
        assertThat(first.getInputsFetched()).isEqualTo(1);
        assertThat(second.getInputsFetched()).isZero();
        assertThat(second.getInputsCached()).isEqualTo(1);

        harness.send(harness.launch("w-in-2", "job-in", "use-tool", "./bin/tool.sh"));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("use-tool")).getExitCode())
                .as("exit of use-tool; the node's log topic says: %s", NodeHarness.text(harness.logs())).isZero();
        await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("tool"));

        InputFile tampered = InputFile.newBuilder(input).setSha256("f".repeat(64)).build();
        harness.send(withInputs(harness.prepare("w-in-3", "job-in"), tampered));
        WorkerPrepareFailed failed = harness.awaitEvent(WorkerPrepareFailed.class,
                e -> e.getWorkerId().equals("w-in-3"));
        assertThat(failed.getFailedInput()).isEqualTo("bin/tool.sh");
        assertThat(failed.getReason()).contains(digest).contains("f".repeat(64));
    }

    @Test
    void a_process_that_cannot_start_is_reported_with_a_reason_a_person_can_act_on() throws Exception {
        harness.send(harness.prepare("w4", "job-4"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w4"));
        LaunchProcess missing = harness.launch("w4", "job-4", "missing", "true");
        missing.setArgv(List.of("/bin/no-such-program"));
        harness.send(missing);

        ProcessLaunchFailed failed = harness.awaitEvent(ProcessLaunchFailed.class,
                e -> e.getProcess().equals("missing"));
        assertThat(failed.getReason()).contains("/bin/no-such-program");
    }

    @Test
    void output_past_the_jobs_log_cap_is_cut_with_a_truncation_marker() throws Exception {
        harness.send(harness.prepare("w5", "job-5"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w5"));
        harness.send(harness.launch("w5", "job-5", "chatty", "head -c 3000000 /dev/zero | tr '\\0' x"));
        harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("chatty"));

        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> {
            List<LogChunk> chunks = harness.logs().stream().filter(c -> c.getJobId().equals("job-5")).toList();
            assertThat(chunks).isNotEmpty();
            LogChunk last = chunks.get(chunks.size() - 1);
            assertThat(last.getTruncated()).isTrue();
            assertThat(NodeHarness.text(List.of(last))).endsWith(LogShipper.truncationMarker(LOG_CAP));
            assertThat(NodeHarness.text(chunks).replace(LogShipper.truncationMarker(LOG_CAP), ""))
                    .hasSize((int) LOG_CAP).matches("x+");
            assertThat(chunks).extracting(LogChunk::getSequence)
                    .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
        });
    }

    @Test
    void lines_reach_the_log_topic_in_order_with_gap_free_sequence_numbers_and_offsets() throws Exception {
        harness.send(harness.prepare("w7", "job-7"));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w7"));
        harness.send(harness.launch("w7", "job-7", "counter", "i=0; while [ $i -lt 300 ]; do echo \"line $i\"; "
                + "echo \"err $i\" >&2; [ $((i % 30)) -eq 0 ] && sleep 0.05; i=$((i+1)); done"));
        harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("counter"));

        StringBuilder expectedOut = new StringBuilder();
        StringBuilder expectedErr = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            expectedOut.append("line ").append(i).append('\n');
            expectedErr.append("err ").append(i).append('\n');
        }
        await().atMost(NodeHarness.DEADLINE).untilAsserted(() -> {
            List<LogChunk> chunks = harness.logsOf("job-7", "counter");
            assertThat(chunks).extracting(LogChunk::getSequence)
                    .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
            for (LogStream stream : LogStream.values()) {
                List<LogChunk> ofStream = chunks.stream().filter(c -> c.getStream() == stream).toList();
                long offset = 0;
                for (LogChunk chunk : ofStream) {
                    assertThat(chunk.getStreamOffset()).as("offset of chunk %d", chunk.getSequence()).isEqualTo(offset);
                    offset += chunk.getData().remaining();
                }
                assertThat(NodeHarness.text(ofStream))
                        .isEqualTo((stream == LogStream.STDOUT ? expectedOut : expectedErr).toString());
            }
            assertThat(chunks.size()).as("chunks, not one blob").isGreaterThan(2);
        });
    }

    private static PrepareWorker withInputs(PrepareWorker prepare, InputFile... inputs) {
        prepare.setInputs(List.of(inputs));
        return prepare;
    }

    @Test
    void heartbeats_say_what_the_node_serves_and_how_it_isolates() {
        NodeHeartbeatEnvelope beat = await().atMost(NodeHarness.DEADLINE).until(() -> harness.scope.topicReader()
                .readAll(harness.naming.nameOf(Topic.NODE_HEARTBEATS)).stream()
                .map(r -> EventCodec.<NodeHeartbeatEnvelope>forTopic(Topic.NODE_HEARTBEATS).decode(r.value()))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        var heartbeat = (io.sluice.events.node.NodeHeartbeat) beat.getPayload();
        assertThat(heartbeat.getNodeId()).isEqualTo(NODE);
        assertThat(heartbeat.getTargets()).containsExactly("linux");
        assertThat(heartbeat.getSlotsTotal()).isEqualTo(2);
        assertThat(heartbeat.getIsolation()).isEqualTo(io.sluice.events.node.IsolationMode.RUNC);
        assertThat(heartbeat.getWarnings()).isEmpty();
        assertThat(heartbeat.getCgroups()).isEqualTo(RuncIsolation.hostCgroupHierarchy()).isIn("v1", "hybrid", "v2");
        assertThat(Files.exists(stateDir)).isTrue();
    }

    @Test
    void a_persistent_store_outlives_its_worker_and_the_next_job_of_the_owner_finds_what_was_left() throws Exception {
        harness.send(PrepareWorker.newBuilder(harness.prepare("w-store-1", "job-s1")).setPersistentStore("cache").build());
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w-store-1"));
        harness.send(harness.launch("w-store-1", "job-s1", "fill", "echo kept > \"$SLUICE_STORE_DIR/note\""));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getJobId().equals("job-s1")).getExitCode()).isZero();
        harness.send(harness.destroy("w-store-1", "job-s1"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w-store-1"));

        harness.send(PrepareWorker.newBuilder(harness.prepare("w-store-2", "job-s2")).setPersistentStore("cache").build());
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w-store-2"));
        harness.send(harness.launch("w-store-2", "job-s2", "read", "cat \"$SLUICE_STORE_DIR/note\""));
        assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getJobId().equals("job-s2")).getExitCode()).isZero();
        await().atMost(NodeHarness.DEADLINE)
                .until(() -> NodeHarness.text(harness.logsOf("job-s2", "read")).equals("kept\n"));

        harness.send(PrepareWorker.newBuilder(harness.prepare("w-store-3", "job-s3")).setPersistentStore("../up").build());
        assertThat(harness.awaitEvent(WorkerPrepareFailed.class, e -> e.getWorkerId().equals("w-store-3")).getReason())
                .contains("persistent store '../up'");
    }
}
