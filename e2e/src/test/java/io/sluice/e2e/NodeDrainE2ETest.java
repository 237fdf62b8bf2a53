package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobPreparing;
import io.sluice.events.job.JobSnapshot;
import io.sluice.events.job.JobStateEnvelope;
import io.sluice.events.job.WorkerRequested;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventHarness;
import io.sluice.testing.TestOwners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator drains the only node with the CLI: a job submitted then waits for a worker, and undrain lets it run;
 * the job's milestones, from the CLI's stamp to the clean-up, come in causal order.
 */
class NodeDrainE2ETest {

    @TempDir
    Path directory;

    @Test
    void a_drained_node_takes_no_new_worker_until_undrained_and_the_job_then_runs_with_ordered_milestones()
            throws Exception {
        try (SluiceSystem sluice = new SluiceSystem("drain", 1, Map.of())) {
            Cli drain = cli(sluice, "admin", "drain", sluice.nodeId, "--reason", "e2e", "--timeout", "60s");
            assertThat(drain.exitCode()).as(drain.output()).isZero();
            assertThat(drain.output()).isEqualTo("node " + sluice.nodeId + " drains: it takes no new workers; "
                    + "nothing runs there\n");
            new ConsumerGroups(sluice.scope, Map.of("worker-factory.heartbeats", Topic.NODE_HEARTBEATS))
                    .awaitConsumedToTheEnd(EventHarness.DEADLINE);

            Cli submit = cli(sluice, "submit", "--detach", "--job-id", "drained-1", "--owner", "alice", "--step", "hello=echo hello",
                    "--owner-key", aliceKey().toString());
            assertThat(submit.exitCode()).as(submit.output()).isZero();
            sluice.bus.await(Topic.JOB_EVENTS, "drained-1", WorkerRequested.class);
            new ConsumerGroups(sluice.scope, Map.of("worker-factory.demands", Topic.WORKER_DEMANDS))
                    .awaitConsumedToTheEnd(EventHarness.DEADLINE);
            assertThat(sluice.bus.payloads(Topic.WORKER_EVENTS, "drained-1", WorkerPreparing.class))
                    .as("a worker placed on the drained node").isEmpty();
            assertThat(sluice.bus.payloads(Topic.JOB_EVENTS, "drained-1", JobPreparing.class)).isEmpty();

            Cli undrain = cli(sluice, "admin", "undrain", sluice.nodeId, "--timeout", "60s");
            assertThat(undrain.exitCode()).as(undrain.output()).isZero();
            assertThat(undrain.output()).startsWith("node " + sluice.nodeId + " takes work again; ");
            assertThat(sluice.bus.await(Topic.JOB_EVENTS, "drained-1", JobCleanedUp.class).getOutcome())
                    .isEqualTo(JobOutcome.SUCCEEDED);
            assertThat(sluice.output("drained-1", "hello", "STDOUT")).isEqualTo("hello\n");

            JobSnapshot last = await().atMost(EventHarness.DEADLINE).until(() -> lastSnapshot(sluice, "drained-1"),
                    snapshot -> snapshot != null && snapshot.getCleanedUpAt() != null);
            List<Instant> milestones = List.of(last.getSubmittedAt(), last.getQueuedAt(), last.getWorkerAssignedAt(),
                    last.getStartedAt(), last.getFinishedAt(), last.getCleanedUpAt());
            assertThat(milestones).as(last.toString()).isSorted();
            long requestSent = sluice.scope.topicReader().readAll(sluice.bus.topicName(Topic.JOB_REQUESTS)).stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("drained-1"))
                    .findFirst().orElseThrow().timestamp();
            assertThat(last.getSubmittedAt().toEpochMilli())
                    .as("submitted is when the CLI sent the request, as its record's timestamp says")
                    .isEqualTo(requestSent);
        }
    }

    private static JobSnapshot lastSnapshot(SluiceSystem sluice, String jobId) {
        JobSnapshot last = null;
        for (var record : sluice.scope.topicReader().readAll(sluice.bus.topicName(Topic.JOB_STATE))) {
            if (record.value() != null && new String(record.key(), StandardCharsets.UTF_8).equals(jobId)) {
                last = (JobSnapshot) EventCodec.<JobStateEnvelope>forTopic(Topic.JOB_STATE).decode(record.value())
                        .getPayload();
            }
        }
        return last;
    }

    /** What the CLI printed (stdout and stderr) and its exit code. */
    private record Cli(int exitCode, String output) {
    }

    /** Runs the CLI's jar against the system's broker and topics, as an operator would. */
    private static Cli cli(SluiceSystem sluice, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of("..", "cli", "target", "sluice-cli.jar").toAbsolutePath().normalize()
                .toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-servers", sluice.scope.bootstrapServers(), "--topic-prefix",
                sluice.scope.topicPrefix()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Cli(process.waitFor(), output);
    }

    /** alice's signing key in a file, as the cli takes it. */
    private Path aliceKey() throws IOException {
        Path file = directory.resolve("alice-key.pem");
        if (!Files.exists(file)) {
            TestOwners.keyOf("alice").writeTo(file);
        }
        return file;
    }
}
