package io.sluice.well.publish;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.resource.ResourceTypeDeclared;
import io.sluice.events.resource.ResourceTypeRetired;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import io.sluice.well.domain.ResourceType;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import org.apache.avro.specific.SpecificRecord;

/** Announces on the compacted {@code sluice.resource.types} the types the well serves, and retires the ones it stopped serving. */
@Singleton
public final class DeclareResourceTypes {

    public void declare(HandlerContext context, ResourceType type) throws SQLException {
        emit(context, type.name(), ResourceTypeDeclared.newBuilder().setType(type.name())
                .setPrivilege(type.privilege()).setCapacity(type.capacity())
                .setMaxLifetimeMillis(type.maxLifetime().toMillis()).setProvisioner(type.provisioner()).build());
    }

    public void retire(HandlerContext context, String type) throws SQLException {
        emit(context, type, ResourceTypeRetired.newBuilder().setType(type)
                .setReason("no longer in the resource well's configuration").build());
    }

    private static void emit(HandlerContext context, String type, SpecificRecord payload) throws SQLException {
        context.emit(Topic.RESOURCE_TYPES, type, Envelopes.envelope(Topic.RESOURCE_TYPES,
                context.causedMetadata(type), payload));
    }
}
