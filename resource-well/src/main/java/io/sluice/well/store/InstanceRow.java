package io.sluice.well.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.annotation.Version;
import io.micronaut.data.model.DataType;
import io.sluice.well.domain.InstanceState;
import io.sluice.well.domain.ResourceInstance;
import java.time.Instant;
import java.util.Map;

/** A row of {@code resource_instance}: an instance as the well keeps it, with the metadata its provisioner returned. */
@MappedEntity("resource_instance")
public record InstanceRow(@Id String instanceId, String type, String jobId, String owner, int slot, String state,
                          Instant admittedAt, Instant expiresAt, @Nullable String releaseReason,
                          @TypeDef(type = DataType.JSON) Map<String, String> metadata, @Version Long version) {

    /** A row for an instance not stored yet. */
    public static InstanceRow of(ResourceInstance instance) {
        return new InstanceRow(instance.instanceId(), instance.type(), instance.jobId(), instance.owner(),
                instance.slot(), instance.state().name(), instance.admittedAt(), instance.expiresAt(),
                instance.releaseReason(), Map.of(), null);
    }

    /** This row after {@code instance} changed, with {@code newMetadata} (null keeps what it had). */
    public InstanceRow updatedTo(ResourceInstance instance, Map<String, String> newMetadata) {
        return new InstanceRow(instanceId, type, jobId, owner, slot, instance.state().name(), admittedAt, expiresAt,
                instance.releaseReason(), newMetadata == null ? metadata : newMetadata, version);
    }

    public ResourceInstance instance() {
        return new ResourceInstance(instanceId, type, jobId, owner, slot, InstanceState.valueOf(state), admittedAt,
                expiresAt, releaseReason);
    }
}
