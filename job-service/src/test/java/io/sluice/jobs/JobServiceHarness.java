package io.sluice.jobs;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobSubmitted;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.resource.ResourceTypeDeclared;
import io.sluice.events.resource.ResourceTypeRetired;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleaseRequested;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import io.sluice.testing.TestOwners;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * job-service running on a scope of its own, with the test playing the worker factory, the node runner and the
 * resource wells: it sends their events and reads what job-service sent.
 */
final class JobServiceHarness implements AutoCloseable {

    final IsolatedScope scope;
    final EventHarness bus;
    EmbeddedServer server;
    private final Map<String, Object> properties;
    private final HttpClient http = HttpClient.newHttpClient();

    JobServiceHarness(String name, Map<String, Object> extraProperties) {
        scope = TestInfra.shared().isolate(name);
        bus = new EventHarness(scope);
        properties = new HashMap<>(properties(scope));
        properties.putAll(extraProperties);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /** Stops the service, runs {@code whileStopped}, and starts it again on the same topics and schema. */
    void restart(Runnable whileStopped) {
        server.close();
        whileStopped.run();
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    static Map<String, Object> properties(IsolatedScope scope) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("sluice.kafka.bootstrap-servers", scope.bootstrapServers());
        properties.put("sluice.topic-prefix", scope.topicPrefix());
        properties.put("sluice.retry-interval", "1s");
        properties.put("sluice.jobs.deadline-check-interval", "100ms");
        properties.put("datasources.default.url", scope.jdbcUrl());
        properties.put("datasources.default.username", scope.username());
        properties.put("datasources.default.password", scope.password());
        properties.putAll(TestOwners.registration());
        return properties;
    }

    void submit(String jobId, JobSpec spec) {
        bus.sendSigned(spec.getOwner(), Topic.JOB_REQUESTS, jobId, jobId,
                JobSubmitted.newBuilder().setJobId(jobId).setSpec(spec).build());
    }

    /** Submits as {@link #submit} does, the request stamped {@code occurredAt} (a client clock of its own). */
    void submitStamped(String jobId, JobSpec spec, Instant occurredAt) {
        bus.sendEnvelopeSigned(spec.getOwner(), Topic.JOB_REQUESTS, jobId, Envelopes.envelope(Topic.JOB_REQUESTS,
                Envelopes.metadata(UUID.randomUUID(), occurredAt, jobId, null, "test/" + scope.name()),
                JobSubmitted.newBuilder().setJobId(jobId).setSpec(spec).build()));
    }

    /** Asks, signed by {@code by}, to cancel the job. */
    void cancel(String jobId, String by) {
        bus.sendSigned(by, Topic.JOB_REQUESTS, jobId, jobId, JobCancelRequested.newBuilder().setJobId(jobId)
                .setRequestedBy(by).setReason("test").build());
    }

    /** Plays a resource well: it declares {@code type}, which owners need {@code privilege} (or none) to ask for. */
    void declareResourceType(String type, String privilege) {
        bus.send(Topic.RESOURCE_TYPES, type, type, ResourceTypeDeclared.newBuilder().setType(type)
                .setPrivilege(privilege).setCapacity(2).setMaxLifetimeMillis(3_600_000L).setProvisioner("command")
                .build());
    }

    /** Plays a resource well: it serves {@code type} no more. */
    void retireResourceType(String type, String reason) {
        bus.send(Topic.RESOURCE_TYPES, type, type, ResourceTypeRetired.newBuilder().setType(type).setReason(reason)
                .build());
    }

    /** Plays the worker factory: the job's first attempt is placed on {@code node} and assigned. */
    void assignWorker(String jobId, String node) {
        placeWorker(jobId, node);
        String worker = jobId + ".1";
        bus.send(Topic.WORKER_EVENTS, jobId, jobId, WorkerAssigned.newBuilder().setJobId(jobId).setAttempt(1)
                .setWorkerId(worker).setNodeId(node).setTarget("linux").build());
    }

    /** Plays the worker factory: the job's first attempt is placed on {@code node} (and its first step launched). */
    void placeWorker(String jobId, String node) {
        bus.send(Topic.WORKER_EVENTS, jobId, jobId, WorkerPreparing.newBuilder().setJobId(jobId).setAttempt(1)
                .setWorkerId(jobId + ".1").setNodeId(node).setTarget("linux").build());
    }

    /** Plays the node runner: the step's process started and exited with {@code code}. */
    void runStep(String jobId, String node, String step, int code) {
        startStep(jobId, node, step);
        exitStep(jobId, node, step, code);
    }

    /** Plays the node runner: the step's process started. */
    void startStep(String jobId, String node, String step) {
        startStep(jobId, node, step, Instant.now());
    }

    /** Plays the node runner: the step's process started at {@code startedAt} by the node's clock. */
    void startStep(String jobId, String node, String step, Instant startedAt) {
        bus.send(Topic.NODE_EVENTS, node, jobId, ProcessStarted.newBuilder().setNodeId(node).setWorkerId(jobId + ".1")
                .setJobId(jobId).setProcess(step).setPid(42).setStartedAt(startedAt).build());
    }

    /** Plays the node runner: the step's process exited with {@code code}. */
    void exitStep(String jobId, String node, String step, int code) {
        String worker = jobId + ".1";
        bus.send(Topic.NODE_EVENTS, node, jobId, ProcessExited.newBuilder().setNodeId(node).setWorkerId(worker)
                .setJobId(jobId).setProcess(step).setExitCode(code).setSignal(null).setOomKilled(false)
                .setStopRequested(false).setDurationMillis(7).setPeakMemoryBytes(null).setExitedAt(Instant.now())
                .build());
    }

    /** Plays the worker factory: once job-service asked for the release, the worker is released. */
    void releaseWorker(String jobId, String node) {
        bus.await(Topic.WORKER_DEMANDS, jobId, WorkerReleaseRequested.class);
        bus.send(Topic.WORKER_EVENTS, jobId, jobId, WorkerReleased.newBuilder().setJobId(jobId)
                .setWorkerId(jobId + ".1").setNodeId(node).build());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        bus.close();
        scope.close();
    }
}
