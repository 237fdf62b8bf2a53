package io.sluice.well.edge;

import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.events.GrantedResource;
import io.sluice.events.resource.ResourceDemandWithdrawn;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.events.resource.ResourceProvisionFailed;
import io.sluice.events.resource.ResourceReleaseRequested;
import io.sluice.events.resource.ResourceReleased;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import io.sluice.testing.IsolatedScope;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real resource well on the test broker and database, with verbs for what job-service asks and what the well answers. */
final class WellHarness implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    final IsolatedScope scope;
    final EventHarness events;
    final ApplicationContext well;
    final EmbeddedServer http;

    WellHarness(IsolatedScope scope, Map<String, Object> types) {
        this(scope, types, false);
    }

    /** The well with its types; with its HTTP API on a free port when {@code serveHttp}. */
    WellHarness(IsolatedScope scope, Map<String, Object> types, boolean serveHttp) {
        this.scope = scope;
        this.events = new EventHarness(scope);
        Map<String, Object> properties = new HashMap<>(types);
        properties.put("micronaut.server.port", -1);
        properties.put("sluice.kafka.bootstrap-servers", scope.bootstrapServers());
        properties.put("sluice.topic-prefix", scope.topicPrefix());
        properties.put("sluice.retry-interval", "1s");
        properties.put("sluice.well.expiry-check-interval", "200ms");
        properties.put("sluice.well.metrics-interval", "200ms");
        properties.put("datasources.default.url", scope.jdbcUrl());
        properties.put("datasources.default.username", scope.username());
        properties.put("datasources.default.password", scope.password());
        this.http = serveHttp ? ApplicationContext.run(EmbeddedServer.class, properties) : null;
        this.well = serveHttp ? http.getApplicationContext() : ApplicationContext.run(properties);
        BusSupervisor bus = well.getBean(BusSupervisor.class);
        await().atMost(DEADLINE).until(() -> bus.runtime() != null);
    }

    void jobDemands(String jobId, String type) {
        jobDemands(jobId, type, type, Map.of());
    }

    /** A demand for {@code type} sent with key {@code key}: a demand under another type's key lands in its partition. */
    void jobDemands(String jobId, String key, String type, Map<String, String> parameters) {
        events.send(Topic.RESOURCE_DEMANDS, key, jobId, ResourceDemanded.newBuilder().setJobId(jobId)
                .setResourceType(type).setOwner("alice").setParameters(parameters).build());
    }

    void jobReleases(String jobId, GrantedResource resource) {
        events.send(Topic.RESOURCE_DEMANDS, resource.getType(), jobId, ResourceReleaseRequested.newBuilder()
                .setJobId(jobId).setResourceType(resource.getType()).setResourceId(resource.getResourceId()).build());
    }

    void jobWithdraws(String jobId, String type) {
        events.send(Topic.RESOURCE_DEMANDS, type, jobId, ResourceDemandWithdrawn.newBuilder().setJobId(jobId)
                .setResourceType(type).setReason("cancelled by bob").build());
    }

    /**
     * Waits until the well has handled every demand sent so far under {@code key}: a demand for a type it does not
     * serve, sent last under the same key (so in the same partition, after the others), has been refused.
     */
    void awaitHandled(String key) {
        String marker = "marker-" + System.nanoTime();
        jobDemands(marker, key, "no-such-type", Map.of());
        events.await(Topic.RESOURCE_EVENTS, marker, ResourceProvisionFailed.class);
    }

    GrantedResource awaitGranted(String jobId) {
        return events.await(Topic.RESOURCE_EVENTS, jobId, ResourceGranted.class).getResource();
    }

    ResourceReleased awaitReleased(String jobId) {
        return events.await(Topic.RESOURCE_EVENTS, jobId, ResourceReleased.class);
    }

    List<ResourceGranted> grantsOf(String jobId) {
        return events.payloads(Topic.RESOURCE_EVENTS, jobId, ResourceGranted.class);
    }

    private boolean closed;

    /** Stops the well; again, does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            http.close();
        }
        well.close();
        events.close();
    }
}
