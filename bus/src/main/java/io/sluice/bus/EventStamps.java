package io.sluice.bus;

import io.sluice.events.EventMetadata;
import io.sluice.schemas.Envelopes;
import java.util.UUID;

/** Stamps the events a service emits: a fresh event id, the service's clock, the cause and the producer. */
public final class EventStamps {

    private EventStamps() {
    }

    /** Metadata for a new event of {@code correlationId}, caused by the event {@code causationId} (null for none). */
    public static EventMetadata stamp(BusRuntime bus, String correlationId, String causationId) {
        return Envelopes.metadata(UUID.randomUUID(), bus.clock().instant(), correlationId, causationId, bus.producer());
    }
}
