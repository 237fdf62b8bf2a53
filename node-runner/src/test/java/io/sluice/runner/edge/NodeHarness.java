package io.sluice.runner.edge;

import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ShutdownSignal;
import io.sluice.events.logs.JobLogEnvelope;
import io.sluice.events.logs.LogChunk;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.StopProcess;
import io.sluice.runner.store.isolation.network.NetworkSettings;
import io.sluice.runner.store.isolation.network.VethNetworks;
import io.sluice.runner.store.isolation.process.NodeSettings;
import io.sluice.runner.store.isolation.runc.RuncIsolation;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Talks to a node runner the way the factory and job-service do: commands in, node events and logs out. */
final class NodeHarness implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    final IsolatedScope scope;
    final TopicNaming naming;
    final String nodeId;
    private final KafkaProducer<byte[], byte[]> producer;
    /** The networks of the runners started here: the workers a test leaves behind must not leave them on the host. */
    private final List<VethNetworks> networks = new java.util.concurrent.CopyOnWriteArrayList<>();

    NodeHarness(String name, String nodeId) throws Exception {
        this.scope = TestInfra.shared().isolate(name);
        this.naming = new TopicNaming(scope.topicPrefix());
        this.nodeId = nodeId;
        new TopicCreator(scope.admin(), naming).createAll();
        this.producer = new KafkaProducer<>(scope.producerProperties());
    }

    /** A runner of this harness's node in this JVM, isolating with runc, with its state in {@code stateDir}. */
    NodeRunner startRunner(Path stateDir, long logCapBytes) throws Exception {
        return startRunner(stateDir, logCapBytes, null);
    }

    /** The same, opening the resources' sealed secrets with {@code sealer} (null: a node without secret keys). */
    NodeRunner startRunner(Path stateDir, long logCapBytes, SecretSealer sealer) throws Exception {
        return startRunner(stateDir, logCapBytes, sealer, NodeSettings.defaults());
    }

    /** The same, each job's log directory bounded by a quota of {@code logQuotaBytes}. */
    NodeRunner startRunnerWithLogQuota(Path stateDir, long logCapBytes, long logQuotaBytes) throws Exception {
        return startRunner(stateDir, logCapBytes, null, NodeSettings.defaults().withLogQuotaBytes(logQuotaBytes));
    }

    private NodeRunner startRunner(Path stateDir, long logCapBytes, SecretSealer sealer, NodeSettings settings)
            throws Exception {
        VethNetworks workerNetworks = VethNetworks.open(stateDir, NetworkSettings.defaults());
        networks.add(workerNetworks);
        return NodeRunner.start(new NodeRunner.Settings(nodeId, List.of("linux"), 2, false, stateDir,
                        Duration.ofMillis(500), logCapBytes, Duration.ofDays(7), Duration.ofDays(7), "test"),
                scope.bootstrapServers(), Map.of(), naming,
                new RuncIsolation(stateDir.resolve("isolation"), RuncIsolation.DEFAULT_RUNC,
                        RuncIsolation.DEFAULT_TINI, settings),
                workerNetworks, sealer, new ServiceHealth(), "node-runner/test", Clock.systemUTC());
    }

    NodeCommandEnvelope send(Object payload) throws Exception {
        NodeCommandEnvelope command = NodeCommandEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), Instant.now(), "job", null, "node-bench"))
                .setPayload(payload)
                .build();
        resend(command);
        return command;
    }

    void resend(NodeCommandEnvelope command) throws Exception {
        producer.send(new ProducerRecord<>(naming.nameOf(Topic.NODE_COMMANDS), nodeId.getBytes(StandardCharsets.UTF_8),
                EventCodec.<NodeCommandEnvelope>forTopic(Topic.NODE_COMMANDS).encode(command))).get();
    }

    PrepareWorker prepare(String workerId, String jobId) {
        return PrepareWorker.newBuilder().setNodeId(nodeId).setWorkerId(workerId).setJobId(jobId).setOwner("alice")
                .setTarget("linux").setInputs(List.of()).setResources(List.of()).setPersistentStore(null).build();
    }

    LaunchProcess launch(String workerId, String jobId, String process, String script) {
        return LaunchProcess.newBuilder().setNodeId(nodeId).setWorkerId(workerId).setJobId(jobId).setProcess(process)
                .setArgv(List.of("/bin/sh", "-c", script)).setEnv(Map.of("GREETING", "hello")).setWorkdir(null)
                .setLimits(ProcessLimits.newBuilder().setMemoryBytes(256L * 1024 * 1024).setPids(64)
                        .setOpenFiles(1024).setCpuShares(null).build())
                .setCapabilities(List.of()).setShutdownSignal(ShutdownSignal.TERM).setStopGraceMillis(2_000).build();
    }

    StopProcess stop(String workerId, String jobId, String process) {
        return StopProcess.newBuilder().setNodeId(nodeId).setWorkerId(workerId).setJobId(jobId).setProcess(process)
                .setSignal(null).setGraceMillis(null).setReason("test").build();
    }

    DestroyWorker destroy(String workerId, String jobId) {
        return DestroyWorker.newBuilder().setNodeId(nodeId).setWorkerId(workerId).setJobId(jobId).setReason(null)
                .build();
    }

    List<Object> nodeEvents() {
        return scope.topicReader().readAll(naming.nameOf(Topic.NODE_EVENTS)).stream()
                .map(ConsumerRecord::value)
                .map(EventCodec.<NodeEventEnvelope>forTopic(Topic.NODE_EVENTS)::decode)
                .map(NodeEventEnvelope::getPayload)
                .toList();
    }

    List<NodeEventEnvelope> nodeEnvelopes() {
        return scope.topicReader().readAll(naming.nameOf(Topic.NODE_EVENTS)).stream()
                .map(ConsumerRecord::value)
                .map(EventCodec.<NodeEventEnvelope>forTopic(Topic.NODE_EVENTS)::decode)
                .toList();
    }

    /** Waits for the first node event of {@code type} that matches. */
    <T> T awaitEvent(Class<T> type, Predicate<T> matching) {
        return await().atMost(DEADLINE).until(() -> nodeEvents().stream().filter(type::isInstance).map(type::cast)
                .filter(matching).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    List<LogChunk> logs() {
        return logEnvelopes().stream().map(e -> (LogChunk) e.getPayload()).toList();
    }

    /** The log topic's envelopes, in topic order within each job. */
    List<JobLogEnvelope> logEnvelopes() {
        return scope.topicReader().readAll(naming.nameOf(Topic.JOB_LOGS)).stream()
                .map(ConsumerRecord::value)
                .map(EventCodec.<JobLogEnvelope>forTopic(Topic.JOB_LOGS)::decode)
                .toList();
    }

    /** The chunks of one process, in topic order. */
    List<LogChunk> logsOf(String jobId, String process) {
        return logs().stream().filter(c -> c.getJobId().equals(jobId) && c.getProcess().equals(process)).toList();
    }

    static String text(List<LogChunk> chunks) {
        StringBuilder text = new StringBuilder();
        for (LogChunk chunk : chunks) {
            text.append(StandardCharsets.UTF_8.decode(chunk.getData().duplicate()));
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (VethNetworks workerNetworks : networks) {
            try {
                workerNetworks.removeAll();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        producer.close();
        scope.close();
    }
}
