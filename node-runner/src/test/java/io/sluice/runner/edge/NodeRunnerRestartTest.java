package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.logs.JobLogEnvelope;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.node.CommandRejected;
import io.sluice.events.node.DrainNode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.runner.publish.logs.ShippingJournal;
import io.sluice.runner.store.isolation.network.NetworkSettings;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 the runner while a job runs and start it again: the job's process is adopted, its exit reported and its
 * output shipped on from the last checkpoint; a command still being applied is applied by the next runner, and
 * none that finished is applied again.
 */
class NodeRunnerRestartTest {

    @TempDir
    Path stateDir;

    /** The runners ran in JVMs of their own: the networks of the workers they left behind go here. */
    @AfterEach
    void removeWorkerNetworks() throws Exception {
        VethNetworks.open(stateDir, NetworkSettings.defaults()).removeAll();
    }

    @Test
    void a_process_outlives_a_killed_runner_and_the_restarted_runner_reports_its_exit() throws Exception {
        try (NodeHarness harness = new NodeHarness("node-restart", NodeRunnerProcess.NODE)) {
            List<String> args = List.of(harness.scope.bootstrapServers(), harness.scope.topicPrefix(),
                    stateDir.toString());
            ChildJvm first = ChildJvm.start("runner", NodeRunnerProcess.class, args);
            ChildJvm second = null;
            try {
                harness.send(harness.prepare("w1", "job-1"));
                harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
                harness.send(harness.launch("w1", "job-1", "long", "echo begun; read line < /dev/null; "
                        + "i=0; while [ $i -lt 20 ]; do i=$((i+1)); sleep 0.1; done; echo finished; exit 7"));
                harness.awaitEvent(ProcessStarted.class, e -> e.getProcess().equals("long"));
                await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("begun"));

                first.kill();
                assertThat(harness.nodeEvents()).noneMatch(ProcessExited.class::isInstance);

                second = ChildJvm.start("runner-again", NodeRunnerProcess.class, args);
                ProcessExited exited = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("long"));
                assertThat(exited.getExitCode()).as(second.output()).isEqualTo(7);
                await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("finished"));
                assertThat(harness.nodeEvents()).filteredOn(ProcessStarted.class::isInstance).hasSize(1);
                assertThat(harness.nodeEvents()).filteredOn(ProcessExited.class::isInstance).hasSize(1);
            } finally {
                first.kill();
                if (second != null) {
                    assertThat(second.stop(Duration.ofSeconds(30))).isEqualTo(143);
                }
            }
        }
    }

    @Test
    void after_a_restart_the_output_is_shipped_on_from_the_last_checkpoint_not_from_the_first_byte() throws Exception {
        try (NodeHarness harness = new NodeHarness("node-restart-logs", NodeRunnerProcess.NODE)) {
            List<String> args = List.of(harness.scope.bootstrapServers(), harness.scope.topicPrefix(),
                    stateDir.toString());
            ShippingJournal journal = ShippingJournal.at(stateDir.resolve("workers/w1/processes/talker"));
            List<ChildJvm> runners = new ArrayList<>();
            try {
                runners.add(ChildJvm.start("runner", NodeRunnerProcess.class, args));
                harness.send(harness.prepare("w1", "job-1"));
                harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
                harness.send(harness.launch("w1", "job-1", "talker", "i=0; while [ ! -e /sluice/data/finish ]; do "
                        + "echo \"line $i\"; i=$((i+1)); sleep 0.02; done; echo finished"));
                // Killed between two checkpoints (nearly always): chunks were sent after the last one.
                await().atMost(NodeHarness.DEADLINE).until(() -> journal.load().checkpoint().stdoutOffset() > 0
                        && !journal.load().unconfirmed().isEmpty());

                runners.get(0).kill();
                ShippingJournal.Loaded atKill = journal.load();
                runners.add(ChildJvm.start("runner-again", NodeRunnerProcess.class, args));
                await().atMost(NodeHarness.DEADLINE).until(() -> producersOf(harness.logEnvelopes()).size() == 2);
                await().atMost(NodeHarness.DEADLINE).until(() -> journal.load().checkpoint().nextSequence()
                        > atKill.sent().nextSequence());
                assertThat(runners.get(1).stop(Duration.ofSeconds(30))).isEqualTo(143);
                ShippingJournal.Loaded afterCleanStop = journal.load();
                assertThat(afterCleanStop.unconfirmed()).as("a clean stop checkpoints all it sent").isEmpty();

                runners.add(ChildJvm.start("runner-third", NodeRunnerProcess.class, args));
                Files.createFile(stateDir.resolve("workers/w1/data/finish"));
                assertThat(harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("talker")).getExitCode())
                        .isZero();
                await().atMost(NodeHarness.DEADLINE).until(() -> NodeHarness.text(harness.logs()).contains("finished"));

                List<JobLogEnvelope> envelopes = harness.logEnvelopes().stream()
                        .filter(e -> ((LogChunk) e.getPayload()).getProcess().equals("talker")).toList();
                assertShippedOnceEach(envelopes, Files.readAllBytes(stateDir.resolve("logs/job-1/talker.stdout.log")));
                List<String> producers = producersOf(envelopes);
                assertThat(producers).hasSize(3);
                List<LogChunk> second = chunksBy(envelopes, producers.get(1));
                List<LogChunk> third = chunksBy(envelopes, producers.get(2));
                assertThat(second).as("the second runner began at the first one's last checkpoint, not at byte 0")
                        .allMatch(c -> c.getStreamOffset() >= atKill.checkpoint().stdoutOffset());
                int replayed = atKill.unconfirmed().size();
                assertThat(second.subList(0, replayed)).as("sent again: the chunks sent after the checkpoint")
                        .extracting(LogChunk::getSequence)
                        .containsExactlyElementsOf(atKill.unconfirmed().stream().map(c -> c.sequence()).toList());
                assertThat(second.get(replayed).getSequence()).isEqualTo(atKill.sent().nextSequence());
                assertThat(third.get(0).getSequence()).as("after a clean stop nothing is sent twice")
                        .isEqualTo(afterCleanStop.checkpoint().nextSequence())
                        .isEqualTo(second.get(second.size() - 1).getSequence() + 1);
                assertThat(third.get(0).getStreamOffset()).isEqualTo(afterCleanStop.checkpoint().stdoutOffset());
            } finally {
                for (ChildJvm runner : runners) {
                    runner.kill();
                }
            }
        }
    }

    @Test
    void killed_while_one_worker_is_stuck_preparing_the_restarted_runner_applies_its_commands_and_no_other_again()
            throws Exception {
        try (NodeHarness harness = new NodeHarness("node-restart-lanes", NodeRunnerProcess.NODE);
             HeldInput input = new HeldInput()) {
            List<String> args = List.of(harness.scope.bootstrapServers(), harness.scope.topicPrefix(),
                    stateDir.toString());
            ChildJvm first = ChildJvm.start("runner", NodeRunnerProcess.class, args);
            ChildJvm second = null;
            try {
                harness.send(PrepareWorker.newBuilder(harness.prepare("w-held", "job-held"))
                        .setInputs(List.of(input.file())).build());
                harness.send(harness.launch("w-held", "job-held", "main", "cat input.txt"));
                assertThat(input.awaitRequested()).isTrue();
                List<String> fast = List.of(
                        harness.send(harness.prepare("w-fast", "job-fast")).getMetadata().getEventId().toString(),
                        harness.send(harness.launch("w-fast", "job-fast", "main", "echo fast")).getMetadata()
                                .getEventId().toString());
                harness.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-fast"));
                await().atMost(NodeHarness.DEADLINE).until(() -> journalLines().containsAll(fast));

                first.kill();
                input.release();
                assertThat(CommandsOfDifferentWorkersTest.eventsOf(harness, "w-held")).isEmpty();
                second = ChildJvm.start("runner-again", NodeRunnerProcess.class, args);

                ProcessExited held = harness.awaitEvent(ProcessExited.class, e -> e.getWorkerId().equals("w-held"));
                assertThat(held.getExitCode()).as(second.output()).isZero();
                assertThat(CommandsOfDifferentWorkersTest.eventsOf(harness, "w-held")).extracting(Object::getClass)
                        .containsExactly(WorkerPrepared.class, ProcessStarted.class, ProcessExited.class);
                assertThat(CommandsOfDifferentWorkersTest.eventsOf(harness, "w-fast")).extracting(Object::getClass)
                        .as("the other worker's commands, applied before the kill, are not applied again")
                        .containsExactly(WorkerPrepared.class, ProcessStarted.class, ProcessExited.class);
            } finally {
                first.kill();
                if (second != null) {
                    assertThat(second.stop(Duration.ofSeconds(30))).isEqualTo(143);
                }
            }
        }
    }

    @Test
    void a_drain_order_is_said_in_the_heartbeat_kept_across_a_kill_and_undone_by_undrain() throws Exception {
        try (NodeHarness harness = new NodeHarness("node-restart-drain", NodeRunnerProcess.NODE)) {
            List<String> args = List.of(harness.scope.bootstrapServers(), harness.scope.topicPrefix(),
                    stateDir.toString());
            ChildJvm first = ChildJvm.start("runner", NodeRunnerProcess.class, args);
            ChildJvm second = null;
            try {
                NodeHeartbeat before = awaitHeartbeat(harness, beat -> true);
                assertThat(before.getDraining()).isFalse();
                harness.send(drain(true, "kernel upgrade"));
                NodeHeartbeat drained = awaitHeartbeat(harness, NodeHeartbeat::getDraining);
                assertThat(drained.getStartedAt()).isEqualTo(before.getStartedAt());

                first.kill();
                second = ChildJvm.start("runner-again", NodeRunnerProcess.class, args);
                NodeHeartbeat afterRestart = awaitHeartbeat(harness,
                        beat -> !beat.getStartedAt().equals(before.getStartedAt()));
                assertThat(afterRestart.getDraining()).as("the restarted runner forgot its drain order").isTrue();

                harness.send(drain(false, null));
                NodeHeartbeat undrained = awaitHeartbeat(harness, beat -> !beat.getDraining());
                assertThat(undrained.getStartedAt()).isEqualTo(afterRestart.getStartedAt());
                harness.send(drain(false, null)); // the same order again changes nothing
                harness.send(harness.prepare("w-after", "job-after"));
                harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w-after"));
                assertThat(awaitHeartbeat(harness, beat -> beat.getWorkers().contains("w-after")).getDraining())
                        .isFalse();
                assertThat(harness.nodeEvents()).noneMatch(CommandRejected.class::isInstance);
            } finally {
                first.kill();
                if (second != null) {
                    assertThat(second.stop(Duration.ofSeconds(30))).isEqualTo(143);
                }
            }
        }
    }

    private static DrainNode drain(boolean draining, String reason) {
        return DrainNode.newBuilder().setNodeId(NodeRunnerProcess.NODE).setDraining(draining).setReason(reason)
                .build();
    }

    /** The node's newest heartbeat once it matches {@code matching}. */
    private static NodeHeartbeat awaitHeartbeat(NodeHarness harness, Predicate<NodeHeartbeat> matching) {
        return await().atMost(NodeHarness.DEADLINE).until(() -> {
            List<NodeHeartbeat> beats = harness.scope.topicReader()
                    .readAll(harness.naming.nameOf(Topic.NODE_HEARTBEATS)).stream()
                    .map(r -> (NodeHeartbeat) EventCodec.<NodeHeartbeatEnvelope>forTopic(Topic.NODE_HEARTBEATS)
                            .decode(r.value()).getPayload())
                    .toList();
            return beats.isEmpty() ? null : beats.getLast();
        }, beat -> beat != null && matching.test(beat));
    }

    /** The command ids in the node's journal, as a restarted runner reads them. */
    private List<String> journalLines() throws Exception {
        Path journal = stateDir.resolve("applied-commands.log");
        if (!Files.exists(journal)) {
            return List.of();
        }
        return Files.readAllLines(journal).stream().map(line -> line.split("\t")).filter(f -> f.length > 1)
                .map(f -> f[1]).toList();
    }

    /** Each sequence number is one chunk (a repeat is an exact copy), and the chunks are the log file in order. */
    private static void assertShippedOnceEach(List<JobLogEnvelope> envelopes, byte[] logFile) {
        Map<Long, JobLogEnvelope> bySequence = new TreeMap<>();
        for (JobLogEnvelope envelope : envelopes) {
            JobLogEnvelope first = bySequence.putIfAbsent(((LogChunk) envelope.getPayload()).getSequence(), envelope);
            if (first != null) {
                assertThat(envelope.getPayload()).as("a chunk sent again").isEqualTo(first.getPayload());
                assertThat(envelope.getMetadata().getEventId()).isEqualTo(first.getMetadata().getEventId());
            }
        }
        assertThat(bySequence.keySet()).containsExactlyElementsOf(
                LongStream.range(0, bySequence.size()).boxed().toList());
        ByteArrayOutputStream shipped = new ByteArrayOutputStream();
        for (JobLogEnvelope envelope : bySequence.values()) {
            LogChunk chunk = (LogChunk) envelope.getPayload();
            assertThat(chunk.getStreamOffset()).isEqualTo(shipped.size());
            shipped.writeBytes(NodeHarness.text(List.of(chunk)).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(shipped.toByteArray()).isEqualTo(logFile);
    }

    private static List<String> producersOf(List<JobLogEnvelope> envelopes) {
        return envelopes.stream().map(e -> e.getMetadata().getProducer()).distinct().toList();
    }

    private static List<LogChunk> chunksBy(List<JobLogEnvelope> envelopes, String producer) {
        return envelopes.stream().filter(e -> e.getMetadata().getProducer().equals(producer))
                .map(e -> (LogChunk) e.getPayload()).toList();
    }
}
