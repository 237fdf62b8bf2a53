package io.sluice.jobs.edge;

import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.resource.ResourceTypeDeclared;
import io.sluice.events.resource.ResourceTypeEnvelope;
import io.sluice.events.resource.ResourceTypeRetired;
import io.sluice.jobs.store.ResourceTypeStore;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;

/**
 * Reads the types the resource wells declare and retire on sluice.resource.types into the store intake validates
 * against; a type's records share its key, hence a partition, so the last one read is the latest.
 */
@Singleton
public final class ResourceTypesConsumer implements EventHandler<ResourceTypeEnvelope> {

    private final ResourceTypeStore types;

    public ResourceTypesConsumer(ResourceTypeStore types) {
        this.types = types;
    }

    @Override
    public Topic topic() {
        return Topic.RESOURCE_TYPES;
    }

    @Override
    public String consumerName() {
        return "job-service.resource-types";
    }

    @Override
    public void handle(ConsumedEvent<ResourceTypeEnvelope> event, HandlerContext context) throws Exception {
        switch (event.envelope().getPayload()) {
            case ResourceTypeDeclared declared -> types.declare(context.connection(), declared.getType(),
                    declared.getPrivilege(), event.metadata().getOccurredAt(), event.position());
            case ResourceTypeRetired retired -> types.retire(context.connection(), retired.getType(),
                    retired.getReason(), event.metadata().getOccurredAt(), event.position());
            default -> throw new IllegalArgumentException("unexpected resource type event "
                    + event.envelope().getPayload());
        }
    }
}
