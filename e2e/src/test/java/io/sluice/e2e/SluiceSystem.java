package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.logs.LogChunk;
import io.sluice.infra.LocalKafka;
import io.sluice.infra.SluicePrincipal;
import io.sluice.runner.domain.IsolationMode;
import io.sluice.runner.config.RuntimeRoot;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import io.sluice.testing.TestOwners;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The whole of Sluice for one test class: job-service, worker-factory and one node runner (under runc), each
 * from its packaged jar in a JVM of its own, on a scope of the shared broker and database; or, {@link #secured},
 * on a broker of its own with SASL and ACLs, each service logged in as its own principal and the test as the user.
 */
final class SluiceSystem implements AutoCloseable {

    static final Duration START_DEADLINE = Duration.ofSeconds(90);
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    final IsolatedScope scope;
    final EventHarness bus;
    final String nodeId;
    final Path nodeState;
    /** The node's runtime dir (its processes' state and runc's root) on a tmpfs, as a host's /run is. */
    final Path nodeRuntime;
    private final Map<String, String> wiring;
    private final Map<String, String> factoryProperties;
    private final int slots;
    private final List<String> jvmOptions;
    private final Map<String, String> wellProperties;
    /** The secured broker of this system, or null when it runs on the shared plain one. */
    private final LocalKafka securedKafka;
    private final Map<SluicePrincipal, String> passwords;
    private final Map<String, String> nodeProperties;
    private boolean unisolatedNode;
    final Map<String, String> secretKey;
    ServiceJvms.Service jobService;
    ServiceJvms.Service workerFactory;
    ServiceJvms.Service nodeRunner;
    ServiceJvms.Service resourceWell;

    SluiceSystem(String name, int slots, Map<String, String> factoryProperties) throws Exception {
        this(name, slots, factoryProperties, ServiceJvms.QUICK_START);
    }

    /** The system with the services' JVMs started with {@code jvmOptions}. */
    SluiceSystem(String name, int slots, Map<String, String> factoryProperties, List<String> jvmOptions)
            throws Exception {
        this(name, slots, factoryProperties, jvmOptions, null, null, Map.of());
    }

    /**
     * The system (no resource well) with a node runner that runs its jobs unisolated, as {@code nodeProperties} make
     * it (isolation none, or auto where it lacks runc): closing it looks for no runc containers.
     */
    static SluiceSystem withUnisolatedNode(String name, int slots, Map<String, String> nodeProperties)
            throws Exception {
        SluiceSystem system = new SluiceSystem(name, slots, Map.of(), ServiceJvms.QUICK_START, null, null,
                nodeProperties);
        system.unisolatedNode = true;
        return system;
    }

    /**
     * The system with a resource well serving the types of {@code wellProperties} ({@code sluice.well.types...});
     * the well and the node runner share one secret key.
     */
    static SluiceSystem withWell(String name, int slots, Map<String, String> wellProperties) throws Exception {
        return withWell(name, slots, Map.of(), wellProperties);
    }

    /** The system with a resource well, its node runner also given {@code nodeProperties}. */
    static SluiceSystem withWell(String name, int slots, Map<String, String> nodeProperties,
                                 Map<String, String> wellProperties) throws Exception {
        return new SluiceSystem(name, slots, Map.of(), ServiceJvms.QUICK_START, wellProperties, null,
                nodeProperties);
    }

    /**
     * The four services on a secured broker of their own (SASL SCRAM-SHA-512, ACLs, nothing allowed without one),
     * prepared by its admin as `sluice dev` prepares its own: each service logs in as its principal, allowed only its
     * own topics and groups, and the test's harness as the user principal, allowed what the CLI needs.
     */
    static SluiceSystem secured(String name, int slots, Map<String, String> wellProperties) throws Exception {
        return secured(name, slots, wellProperties, Map.of());
    }

    /** The secured system with its node runner also given {@code nodeProperties}. */
    static SluiceSystem secured(String name, int slots, Map<String, String> wellProperties,
                                Map<String, String> nodeProperties) throws Exception {
        LocalKafka kafka = LocalKafka.builder().secured(UUID.randomUUID().toString()).start();
        try {
            return new SluiceSystem(name, slots, Map.of(), ServiceJvms.QUICK_START, wellProperties, kafka,
                    nodeProperties);
        } catch (Exception | AssertionError e) {
            kafka.close();
            throw e;
        }
    }

    private SluiceSystem(String name, int slots, Map<String, String> factoryProperties, List<String> jvmOptions,
                         Map<String, String> wellProperties, LocalKafka securedKafka,
                         Map<String, String> nodeProperties) throws Exception {
        this.securedKafka = securedKafka;
        this.nodeProperties = nodeProperties;
        this.passwords = new EnumMap<>(SluicePrincipal.class);
        this.jvmOptions = jvmOptions;
        this.wellProperties = wellProperties;
        this.secretKey = Map.of("sluice.secrets.keys.e2e", SecretKeyRing.generateKey(),
                "sluice.secrets.current-key", "e2e");
        if (securedKafka == null) {
            this.scope = TestInfra.shared().isolate(name);
        } else {
            for (SluicePrincipal principal : SluicePrincipal.values()) {
                passwords.put(principal, UUID.randomUUID().toString());
            }
            this.scope = TestInfra.shared().isolate(name, securedKafka.bootstrapServers(),
                    LocalKafka.scramClientProperties(SluicePrincipal.USER.userName(),
                            passwords.get(SluicePrincipal.USER)));
            SluicePrincipal.prepare(securedKafka, new TopicNaming(scope.topicPrefix()), passwords);
        }
        this.bus = new EventHarness(scope);
        this.nodeId = name + "-node";
        this.slots = slots;
        this.factoryProperties = factoryProperties;
        this.nodeState = Files.createTempDirectory("sluice-e2e-" + name);
        // The runner's default for its state dir: on the host's tmpfs; the runner creates it.
        this.nodeRuntime = RuntimeRoot.of(null, IsolationMode.RUNC, nodeState);
        this.wiring = Map.of(
                "sluice.kafka.bootstrap-servers", scope.bootstrapServers(),
                "sluice.topic-prefix", scope.topicPrefix(),
                "sluice.retry-interval", "1s",
                "datasources.default.url", scope.jdbcUrl(),
                "datasources.default.username", scope.username(),
                "datasources.default.password", scope.password());
        startJobService();
        Map<String, String> factory = new HashMap<>(factoryProperties);
        factory.putAll(login(SluicePrincipal.WORKER_FACTORY));
        workerFactory = ServiceJvms.start("worker-factory", wiring, factory, jvmOptions);
        startNodeRunner();
        if (wellProperties != null) {
            startResourceWell();
            resourceWell.awaitUp(START_DEADLINE);
        }
        jobService.awaitUp(START_DEADLINE);
        workerFactory.awaitUp(START_DEADLINE);
        nodeRunner.awaitUp(START_DEADLINE);
    }

    /** The node runner's slots. */
    int slots() {
        return slots;
    }

    void startJobService() throws IOException {
        Map<String, String> properties = new HashMap<>(login(SluicePrincipal.JOB_SERVICE));
        properties.putAll(TestOwners.registration());
        properties.put("sluice.jobs.deadline-check-interval", "200ms");
        jobService = ServiceJvms.start("job-service", wiring, properties, jvmOptions);
    }

    void startResourceWell() throws IOException {
        Map<String, String> well = new HashMap<>(wellProperties);
        well.putAll(secretKey);
        well.put("sluice.well.expiry-check-interval", "200ms");
        well.putAll(login(SluicePrincipal.RESOURCE_WELL));
        resourceWell = ServiceJvms.start("resource-well", wiring, well, jvmOptions);
    }

    void startNodeRunner() throws IOException {
        Map<String, String> node = new HashMap<>(secretKey);
        node.put("sluice.node.id", nodeId);
        node.put("sluice.node.slots", String.valueOf(slots));
        node.put("sluice.node.state-dir", nodeState.toString());
        node.put("sluice.node.heartbeat-interval", "500ms");
        node.putAll(login(SluicePrincipal.NODE_RUNNER));
        node.putAll(nodeProperties);
        nodeRunner = ServiceJvms.start("node-runner", wiring, node, jvmOptions);
    }

    /**
     * How a service logs in to the secured broker, as its operator would configure it: its principal's client
     * properties under {@code sluice.kafka.properties.*}, and no topic creation (the admin made them); nothing on
     * the shared plain broker.
     */
    private Map<String, String> login(SluicePrincipal principal) {
        if (securedKafka == null) {
            return Map.of();
        }
        Map<String, String> login = new HashMap<>();
        LocalKafka.scramClientProperties(principal.userName(), passwords.get(principal))
                .forEach((name, value) -> login.put("sluice.kafka.properties." + name, value));
        login.put("sluice.kafka.create-topics", "false");
        return login;
    }

    /**
     * Every secret credential the services were given: the principals' passwords, the secret key, and PostgreSQL's
     * password unless it is a well-known default (the shared test server's is "postgres", a word every /etc/passwd
     * holds).
     */
    List<String> serviceCredentials() {
        List<String> credentials = new ArrayList<>(passwords.values());
        credentials.add(secretKey.get("sluice.secrets.keys.e2e"));
        if (scope.password().length() >= 16) {
            credentials.add(scope.password());
        }
        return credentials;
    }

    void submit(String jobId, JobSpec spec) {
        bus.sendSigned(spec.getOwner(), Topic.JOB_REQUESTS, jobId, jobId,
                JobSubmitted.newBuilder().setJobId(jobId).setSpec(spec).build());
    }

    /** Cancels the job as alice, the owner of the test jobs, signed with her key. */
    void cancel(String jobId) {
        bus.sendSigned("alice", Topic.JOB_REQUESTS, jobId, jobId, JobCancelRequested.newBuilder().setJobId(jobId)
                .setRequestedBy("alice").setReason("the test cancels it").build());
    }

    /** Everything the job's step wrote to {@code stream} (STDOUT or STDERR), joined in sequence order. */
    String output(String jobId, String step, String stream) {
        return bus.payloads(Topic.JOB_LOGS, jobId, LogChunk.class).stream()
                .filter(chunk -> chunk.getProcess().equals(step) && chunk.getStream().name().equals(stream))
                .sorted(Comparator.comparingLong(LogChunk::getSequence))
                .map(chunk -> StandardCharsets.UTF_8.decode(chunk.getData().duplicate()).toString())
                .collect(Collectors.joining());
    }

    /** The containers runc still knows on the node: none once every job is cleaned up (invariant 1). */
    List<String> containersLeft() throws Exception {
        Path runcRoot = nodeRuntime.resolve("runc");
        assertThat(runcRoot).as("the node's runc root").isDirectory();
        Process list = new ProcessBuilder("/usr/sbin/runc", "--root", runcRoot.toString(), "list", "-q")
                .redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        list.waitFor();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    @Override
    public void close() throws Exception {
        try {
            if (nodeRunner != null && nodeRunner.jvm().isAlive() && !unisolatedNode) {
                nodeRunner.jvm().resume();
                // Every test ends its jobs; whatever a job ran must be gone with it.
                Awaitility.await().atMost(EventHarness.DEADLINE).untilAsserted(() ->
                        assertThat(containersLeft()).as("containers left on the node").isEmpty());
            }
        } finally {
            stopEverything();
        }
    }

    private void stopEverything() throws Exception {
        for (ServiceJvms.Service service : new ServiceJvms.Service[] {jobService, workerFactory, nodeRunner,
                resourceWell}) {
            if (service != null && service.jvm().isAlive()) {
                service.jvm().resume();
                service.jvm().stop(STOP_DEADLINE);
            }
        }
        bus.close();
        scope.close();
        if (securedKafka != null) {
            securedKafka.close();
        }
        for (Path dir : List.of(nodeState, nodeRuntime)) {
            if (!Files.exists(dir)) {
                continue; // a runner that stops with no process left removes its runtime dir itself
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
