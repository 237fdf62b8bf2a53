package io.sluice.runner.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.GrantedResource;
import io.sluice.events.SecretLocation;
import io.sluice.events.SecretRef;
import io.sluice.events.logs.LogStream;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepareFailed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's granted resources reach its processes under runc: a JSON file per resource, a variable per metadata
 * value, and each secret as a file only the job's user reads, its clear value seen nowhere but by the process.
 */
class WorkerResourcesTest {

    private static final String NODE = "node-res";
    private static final long LOG_CAP = 1024 * 1024;
    private static final int NOBODY = 65534;
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String TOKEN = "tok-" + UUID.randomUUID();

    @TempDir
    Path stateDir;

    @TempDir
    Path secretsDir;

    private final SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", SecretKeyRing.generateKey()),
            "k1"));
    private NodeHarness harness;
    private NodeRunner runner;

    private void start(SecretSealer withSealer) throws Exception {
        harness = new NodeHarness("worker-resources", NODE);
        runner = harness.startRunner(stateDir, LOG_CAP, withSealer);
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        harness.close();
    }

    @Test
    void a_process_reads_its_resource_file_its_variables_and_its_secrets_and_only_it_sees_a_secret_in_clear()
            throws Exception {
        start(sealer);
        Path tokenFile = Files.writeString(secretsDir.resolve("api-token"), TOKEN);
        GrantedResource database = resource("res-1", "scratch-db", Map.of("host", "db.internal", "port", "5432"),
                List.of(new SecretRef("password", sealer.seal("res-1", "password", PASSWORD)),
                        new SecretRef("api-token", new SecretLocation(tokenFile.toUri().toString()))));
        harness.send(prepare("w1", "job-1", database));
        harness.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));

        Path resources = stateDir.resolve("workers/w1/resources");
        Path password = resources.resolve("scratch-db/password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("r--------");
        assertThat(Files.getAttribute(password, "unix:uid")).isEqualTo(NOBODY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(resources.resolve("scratch-db"))))
                .isEqualTo("r-x------");
        assertThat(Files.getAttribute(resources.resolve("scratch-db"), "unix:uid")).isEqualTo(NOBODY);
        assertThat(Files.readString(resources.resolve("scratch-db.json"))).doesNotContain(PASSWORD, TOKEN);

        harness.send(harness.launch("w1", "job-1", "read", String.join("; ",
                "cat \"$SLUICE_RESOURCES_DIR/scratch-db.json\"",
                "echo",
                "echo \"dir=$SLUICE_RESOURCES_DIR host=$SLUICE_RESOURCE_SCRATCH_DB_HOST"
                        + " port=$SLUICE_RESOURCE_SCRATCH_DB_PORT\"",
                "echo \"password=$(cat \"$SLUICE_RESOURCES_DIR/scratch-db/password\")\"",
                "echo \"token=$(cat \"$SLUICE_RESOURCES_DIR/scratch-db/api-token\")\"",
                "echo \"in-env=$(env | grep -c -e pw- -e tok-)\"",
                "echo \"mode=$(stat -c %a:%u \"$SLUICE_RESOURCES_DIR/scratch-db/password\")\"",
                "echo \"files=$(ls -A \"$SLUICE_RESOURCES_DIR/scratch-db\" | sort | tr '\\n' ,)\"",
                "touch \"$SLUICE_RESOURCES_DIR/x\" 2>/dev/null && echo resources-writable || echo resources-read-only"
        )));
        ProcessExited exited = harness.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("read"));
        assertThat(exited.getExitCode()).isZero();
        String output = awaitStdout("job-1", "read", "resources-");

        assertThat(output).contains("\"resourceId\":\"res-1\"", "\"type\":\"scratch-db\"",
                "\"metadata\":{\"host\":\"db.internal\",\"port\":\"5432\"}", "\"secrets\":[\"password\",\"api-token\"]",
                "dir=/sluice/resources host=db.internal port=5432\n", "password=" + PASSWORD + "\n",
                "token=" + TOKEN + "\n", "in-env=0\n", "mode=400:" + NOBODY + "\n", "files=api-token,password,\n",
                "resources-read-only\n");
        assertThat(occurrences(output, PASSWORD)).isEqualTo(1);
        assertThat(rawRecords(Topic.NODE_EVENTS)).noneMatch(record -> record.contains(PASSWORD) || record.contains(TOKEN));
        assertThat(rawRecords(Topic.NODE_COMMANDS)).noneMatch(record -> record.contains(PASSWORD));
        assertThat(filesHolding(PASSWORD)).containsExactlyInAnyOrder(password,
                stateDir.resolve("logs/job-1/read.stdout.log"));

        harness.send(harness.destroy("w1", "job-1"));
        harness.awaitEvent(WorkerDestroyed.class, e -> e.getWorkerId().equals("w1"));
        assertThat(resources).doesNotExist();
        assertThat(stateDir.resolve("workers/w1")).doesNotExist();
        assertThat(filesHolding(PASSWORD)).containsExactly(stateDir.resolve("logs/job-1/read.stdout.log"));
    }

    @Test
    void a_secret_sealed_for_another_resource_fails_the_preparation_with_a_reason_that_holds_no_value()
            throws Exception {
        start(sealer);
        GrantedResource stolen = resource("res-2", "scratch-db", Map.of(),
                List.of(new SecretRef("password", sealer.seal("res-other", "password", PASSWORD))));
        harness.send(prepare("w2", "job-2", stolen));

        WorkerPrepareFailed failed = harness.awaitEvent(WorkerPrepareFailed.class, e -> e.getWorkerId().equals("w2"));
        assertThat(failed.getReason()).contains("\"password\"", "res-2", "sealed for another resource")
                .doesNotContain(PASSWORD);
        assertThat(stateDir.resolve("workers/w2")).doesNotExist();
        assertThat(filesHolding(PASSWORD)).isEmpty();
    }

    @Test
    void a_sealed_secret_on_a_node_without_keys_fails_the_preparation_naming_the_settings() throws Exception {
        start(null);
        harness.send(prepare("w3", "job-3", resource("res-3", "scratch-db", Map.of("host", "db"),
                List.of(new SecretRef("password", sealer.seal("res-3", "password", PASSWORD))))));

        WorkerPrepareFailed failed = harness.awaitEvent(WorkerPrepareFailed.class, e -> e.getWorkerId().equals("w3"));
        assertThat(failed.getReason()).contains("no secret key", "sluice.secrets.keys.<id>",
                "sluice.secrets.current-key", "SLUICE_SECRETS_KEYS_<ID>").doesNotContain(PASSWORD);
        assertThat(stateDir.resolve("workers/w3")).doesNotExist();
    }

    @Test
    void resources_that_cannot_be_given_fail_the_preparation_with_the_reason() throws Exception {
        start(sealer);
        harness.send(prepare("w4", "job-4", resource("res-4", "scratch-db", Map.of("host", "a"), List.of()),
                resource("res-5", "scratch", Map.of("db-host", "b"), List.of())));
        harness.send(prepare("w5", "job-5", resource("res-6", "vault-token", Map.of(),
                List.of(new SecretRef("token", new SecretLocation("vault://kv/sluice/res-6#token"))))));

        WorkerPrepareFailed clash = harness.awaitEvent(WorkerPrepareFailed.class, e -> e.getWorkerId().equals("w4"));
        assertThat(clash.getReason()).contains("'host' of resource res-4 (scratch-db)",
                "'db-host' of resource res-5 (scratch)", "SLUICE_RESOURCE_SCRATCH_DB_HOST");
        WorkerPrepareFailed notAFile = harness.awaitEvent(WorkerPrepareFailed.class,
                e -> e.getWorkerId().equals("w5"));
        assertThat(notAFile.getReason()).contains("res-6", "vault://kv/sluice/res-6#token", "file://");
        assertThat(stateDir.resolve("workers/w4")).doesNotExist();
        assertThat(stateDir.resolve("workers/w5")).doesNotExist();
    }

    private static GrantedResource resource(String id, String type, Map<String, String> metadata,
                                            List<SecretRef> secrets) {
        return GrantedResource.newBuilder().setResourceId(id).setType(type).setMetadata(Map.copyOf(metadata))
                .setSecrets(secrets).build();
    }

    private PrepareWorker prepare(String workerId, String jobId, GrantedResource... resources) {
        PrepareWorker prepare = harness.prepare(workerId, jobId);
        prepare.setResources(List.of(resources));
        return prepare;
    }

    private String awaitStdout(String jobId, String process, String lastLine) {
        return org.awaitility.Awaitility.await().atMost(NodeHarness.DEADLINE)
                .until(() -> NodeHarness.text(harness.logsOf(jobId, process).stream()
                        .filter(chunk -> chunk.getStream() == LogStream.STDOUT).toList()),
                        text -> text.contains(lastLine));
    }

    private List<String> rawRecords(Topic topic) {
        return harness.scope.topicReader().readAll(harness.naming.nameOf(topic)).stream()
                .map(ConsumerRecord::value)
                .map(value -> new String(value, StandardCharsets.ISO_8859_1))
                .toList();
    }

    /** Every file under the state dir whose bytes hold {@code value}. */
    private List<Path> filesHolding(String value) throws Exception {
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> tree = Files.walk(stateDir)) {
            for (Path file : tree.filter(Files::isRegularFile).toList()) {
                try {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(value)) {
                        holding.add(file);
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile (a process's state): it held nothing any more
                }
            }
        }
        return holding;
    }

    private static int occurrences(String text, String value) {
        int count = 0;
        for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
            count++;
        }
        return count;
    }
}
