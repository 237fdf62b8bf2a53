package io.sluice.factory;

import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.NodeEventEnvelope;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.events.node.NodeHeartbeatEnvelope;
import io.sluice.events.worker.WorkerDemandEnvelope;
import io.sluice.events.worker.WorkerEventEnvelope;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicCreator;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One isolated namespace with the worker factory (in this JVM, or none for a test that runs it in a child JVM), and
 * the test playing job-service and node runners around it: it produces their events and reads what the factory says.
 */
final class FactoryHarness implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String SCHEMA = "worker_factory";

    final IsolatedScope scope;
    final TopicNaming naming;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, NodeHeartbeat> keptAlive = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "test-heartbeats"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<EmbeddedServer> factories = new ArrayList<>();

    FactoryHarness(String name) throws Exception {
        scope = TestInfra.shared().isolate(name);
        naming = new TopicNaming(scope.topicPrefix());
        new TopicCreator(scope.admin(), naming).createAll();
        producer = new KafkaProducer<>(scope.producerProperties());
        pump.scheduleWithFixedDelay(this::beatAll, 200, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a factory instance in this JVM with {@code settings} on top of the scope's broker and database; a second
     * call starts a second instance beside the first.
     */
    FactoryHarness startFactory(Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(factoryProperties(scope));
        properties.put("micronaut.server.port", -1);
        properties.putAll(settings);
        EmbeddedServer factory = ApplicationContext.run(EmbeddedServer.class, properties);
        factories.add(factory);
        ServiceHealth health = factory.getApplicationContext().getBean(ServiceHealth.class);
        await().atMost(DEADLINE).until(health::isUp);
        return this;
    }

    /** A session from the first factory's own pool, set up as the factory's statements run in it. */
    Connection factorySession() throws SQLException {
        return factories.getFirst().getApplicationContext().getBean(DataSource.class).getConnection();
    }

    /** Stops the factory instances (the scope, its topics and database stay), runs {@code whileStopped}. */
    void stopFactories(Runnable whileStopped) {
        for (EmbeddedServer factory : factories.reversed()) {
            factory.close();
        }
        factories.clear();
        whileStopped.run();
    }

    /** What the factory needs to reach the scope's broker, database and topics. */
    static Map<String, Object> factoryProperties(IsolatedScope scope) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("sluice.kafka.bootstrap-servers", scope.bootstrapServers());
        properties.put("sluice.topic-prefix", scope.topicPrefix());
        properties.put("sluice.retry-interval", "1s");
        properties.put("datasources.default.url", scope.jdbcUrl());
        properties.put("datasources.default.username", scope.username());
        properties.put("datasources.default.password", scope.password());
        return properties;
    }

    // ---- playing node runners

    /** Sends the node's heartbeat once and waits until the factory registered it (live). */
    void nodeUp(NodeHeartbeat node) throws Exception {
        Instant sentAt = heartbeat(node);
        awaitHeartbeatRegistered(node.getNodeId(), sentAt);
    }

    /** Sends one heartbeat now; returns when it says it was sent. */
    Instant heartbeat(NodeHeartbeat node) throws Exception {
        // Events carry milliseconds: compare what the factory stores with what was sent.
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        send(Topic.NODE_HEARTBEATS, node.getNodeId(), NodeHeartbeatEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), sentAt, node.getNodeId(), null, "node-runner/test"))
                .setPayload(node).build());
        return sentAt;
    }

    /** Sends the node's heartbeat every 200 ms from now on, as a live runner does, until {@link #silence}. */
    void keepAlive(NodeHeartbeat node) throws Exception {
        keptAlive.put(node.getNodeId(), node);
        nodeUp(node);
    }

    private void beatAll() {
        for (NodeHeartbeat node : keptAlive.values()) {
            try {
                heartbeat(node);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The node stops heart-beating, as a crashed host does. */
    void silence(String nodeId) {
        keptAlive.remove(nodeId);
    }

    void nodeReports(SpecificRecord event) throws Exception {
        String nodeId = event.get(event.getSchema().getField("nodeId").pos()).toString();
        String jobId = event.get(event.getSchema().getField("jobId").pos()).toString();
        send(Topic.NODE_EVENTS, nodeId, NodeEventEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), Instant.now(), jobId, null, "node-runner/test"))
                .setPayload(event).build());
    }

    // ---- playing job-service

    /** Sends a WorkerDemanded, WorkerReleaseRequested or WorkerDemandWithdrawn, keyed by its target. */
    void jobServiceAsks(SpecificRecord demand) throws Exception {
        String target = demand.get(demand.getSchema().getField("target").pos()).toString();
        String jobId = demand.get(demand.getSchema().getField("jobId").pos()).toString();
        send(Topic.WORKER_DEMANDS, target, WorkerDemandEnvelope.newBuilder()
                .setMetadata(Envelopes.metadata(UUID.randomUUID(), Instant.now(), jobId, null, "job-service/test"))
                .setPayload(demand).build());
    }

    /** Sends many demands at once, as a busy job-service does, and waits for the broker's acknowledgements. */
    void jobServiceAsksAll(List<? extends SpecificRecord> demands) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (SpecificRecord demand : demands) {
            String target = demand.get(demand.getSchema().getField("target").pos()).toString();
            String jobId = demand.get(demand.getSchema().getField("jobId").pos()).toString();
            sent.add(producer.send(new ProducerRecord<>(naming.nameOf(Topic.WORKER_DEMANDS),
                    target.getBytes(StandardCharsets.UTF_8), EventCodec.<WorkerDemandEnvelope>forTopic(
                            Topic.WORKER_DEMANDS).encode(WorkerDemandEnvelope.newBuilder()
                            .setMetadata(Envelopes.metadata(UUID.randomUUID(), Instant.now(), jobId, null,
                                    "job-service/test")).setPayload(demand).build()))));
        }
        for (Future<?> ack : sent) {
            ack.get();
        }
    }

    private <V extends SpecificRecordBase> void send(Topic topic, String key, V envelope) throws Exception {
        producer.send(new ProducerRecord<>(naming.nameOf(topic), key.getBytes(StandardCharsets.UTF_8),
                EventCodec.<V>forTopic(topic).encode(envelope))).get();
    }

    // ---- what the factory says

    List<WorkerEventEnvelope> workerEvents() {
        return read(Topic.WORKER_EVENTS);
    }

    List<NodeCommandEnvelope> nodeCommands() {
        return read(Topic.NODE_COMMANDS);
    }

    /** The payloads of {@code type} the factory emitted on worker events, in the order of their partitions. */
    <T> List<T> toJobs(Class<T> type) {
        return payloads(workerEvents(), type);
    }

    <T> List<T> toNodes(Class<T> type) {
        return payloads(nodeCommands(), type);
    }

    /** Waits for a worker event of {@code type} that matches. */
    <T> T awaitToJobs(Class<T> type, Predicate<T> matching) {
        return await().atMost(DEADLINE).until(() -> toJobs(type).stream().filter(matching).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** Waits for a node command of {@code type} that matches. */
    <T> T awaitToNodes(Class<T> type, Predicate<T> matching) {
        return await().atMost(DEADLINE).until(() -> toNodes(type).stream().filter(matching).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** The keys of the node commands about {@code workerId}, in order. */
    List<String> commandKeysFor(String workerId) {
        EventCodec<NodeCommandEnvelope> codec = EventCodec.forTopic(Topic.NODE_COMMANDS);
        return scope.topicReader().readAll(naming.nameOf(Topic.NODE_COMMANDS)).stream()
                .filter(record -> Envelopes.payloadOf(codec.decode(record.value())).toString().contains(workerId))
                .map(record -> new String(record.key(), StandardCharsets.UTF_8)).toList();
    }

    private <V extends SpecificRecordBase> List<V> read(Topic topic) {
        EventCodec<V> codec = EventCodec.forTopic(topic);
        return scope.topicReader().readAll(naming.nameOf(topic)).stream().map(ConsumerRecord::value)
                .map(codec::decode).toList();
    }

    static <T> List<T> payloads(List<? extends SpecificRecordBase> envelopes, Class<T> type) {
        return envelopes.stream().map(Envelopes::payloadOf).filter(type::isInstance).map(type::cast).toList();
    }

    // ---- the factory's state, as its database and HTTP API show it

    /** The state of the demand of {@code jobId} (attempt 1), or "none". */
    String demandState(String jobId) throws Exception {
        return queryOne("SELECT state FROM " + SCHEMA + ".demand WHERE job_id = ? AND attempt = 1", jobId)
                .orElse("none");
    }

    void awaitDemandState(String jobId, String state) {
        await().atMost(DEADLINE).until(() -> demandState(jobId).equals(state));
    }

    private void awaitHeartbeatRegistered(String nodeId, Instant sentAt) {
        await().atMost(DEADLINE).until(() -> queryOne("SELECT last_sent_at >= ? AND lost_at IS NULL FROM " + SCHEMA
                + ".node WHERE node_id = ?", Timestamp.from(sentAt), nodeId).orElse("f").equals("t"));
    }

    /** Waits until the factory applied a heartbeat sent at {@code sentAt} or later. */
    void awaitHeartbeatApplied(String nodeId, Instant sentAt) {
        await().atMost(DEADLINE).until(() -> queryOne("SELECT last_sent_at >= ? FROM " + SCHEMA
                + ".node WHERE node_id = ?", Timestamp.from(sentAt), nodeId).orElse("f").equals("t"));
    }

    Optional<String> queryOne(String sql, Object... parameters) throws Exception {
        List<String> values = query(sql, parameters);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.getFirst());
    }

    List<String> query(String sql, Object... parameters) throws Exception {
        try (Connection connection = scope.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (org.postgresql.util.PSQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return List.of(); // the factory has not migrated its schema yet
            }
            throw e;
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(factories.getFirst().getURL() + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The factory's answer to GET {@code path} (which must be 200), read by the factory's own JSON mapper. */
    <T> T getJson(String path, Argument<T> type) throws Exception {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return factories.getFirst().getApplicationContext().getBean(JsonMapper.class).readValue(response.body(),
                type);
    }

    @Override
    public void close() throws Exception {
        pump.shutdownNow();
        for (EmbeddedServer factory : factories.reversed()) {
            factory.close();
        }
        producer.close();
        scope.close();
    }
}
