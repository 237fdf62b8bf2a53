package io.sluice.well.publish;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.GrantedResource;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.events.resource.ResourceProvisionFailed;
import io.sluice.events.resource.ResourceReleased;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.well.domain.InstanceLifecycle;
import io.sluice.well.domain.ResourceInstance;
import io.sluice.well.domain.WellEvent;
import io.sluice.well.store.provision.ProvisionedResource;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes what the well tells job-service to the outbox, keyed by job id: a grant with the instance's metadata and its
 * secrets sealed, a provisioning failure with its reason, a release.
 */
@Singleton
public final class PublishWellEvents {

    private final SealResourceSecrets secrets;

    public PublishWellEvents(SealResourceSecrets secrets) {
        this.secrets = secrets;
    }

    /** Publishes {@code event}; {@code made} is what the provisioner made, for a grant (null otherwise). */
    public void publish(HandlerContext context, WellEvent event, ProvisionedResource made) throws SQLException {
        switch (event) {
            case WellEvent.Granted granted -> emit(context, granted.instance(), ResourceGranted.newBuilder()
                    .setJobId(granted.instance().jobId()).setResource(GrantedResource.newBuilder()
                            .setResourceId(granted.instance().instanceId()).setType(granted.instance().type())
                            .setMetadata(made.metadata())
                            .setSecrets(secrets.seal(granted.instance().instanceId(), made.secrets())).build())
                    .build());
            case WellEvent.ProvisionFailed failed -> emit(context, failed.instance(), ResourceProvisionFailed
                    .newBuilder().setJobId(failed.instance().jobId()).setResourceType(failed.instance().type())
                    .setReason(failed.reason()).build());
            case WellEvent.Released released -> emit(context, released.instance(), ResourceReleased.newBuilder()
                    .setJobId(released.instance().jobId()).setResourceType(released.instance().type())
                    .setResourceId(released.instance().instanceId())
                    .setReason(reasonOf(released.instance())).build());
        }
    }

    /** Why an instance went, when it was not at its job's request (expiry, a withdrawn demand); null otherwise. */
    private static String reasonOf(ResourceInstance instance) {
        return InstanceLifecycle.RELEASED_BY_JOB.equals(instance.releaseReason()) ? null : instance.releaseReason();
    }

    /** Tells a job that no instance of {@code type} will come from this well, and why. */
    public void refuse(HandlerContext context, String jobId, String type, String reason) throws SQLException {
        context.emit(Topic.RESOURCE_EVENTS, jobId, Envelopes.envelope(Topic.RESOURCE_EVENTS,
                context.causedMetadata(jobId), ResourceProvisionFailed.newBuilder().setJobId(jobId)
                        .setResourceType(type).setReason(reason).build()));
    }

    /** Tells a job that nothing of a resource it asks to release is left here (the well never made it). */
    public void releasedUnknown(HandlerContext context, String jobId, String type, String resourceId)
            throws SQLException {
        context.emit(Topic.RESOURCE_EVENTS, jobId, Envelopes.envelope(Topic.RESOURCE_EVENTS,
                context.causedMetadata(jobId), ResourceReleased.newBuilder().setJobId(jobId).setResourceType(type)
                        .setResourceId(resourceId).build()));
    }

    private static void emit(HandlerContext context, ResourceInstance instance, SpecificRecord payload)
            throws SQLException {
        context.emit(Topic.RESOURCE_EVENTS, instance.jobId(), Envelopes.envelope(Topic.RESOURCE_EVENTS,
                context.causedMetadata(instance.jobId()), payload));
    }
}
