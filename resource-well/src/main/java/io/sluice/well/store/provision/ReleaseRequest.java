package io.sluice.well.store.provision;

import java.util.Map;

/** One instance to remove: its id, its type and the non-secret metadata its provisioning returned. */
public record ReleaseRequest(String instanceId, String type, Map<String, String> metadata) {

    public ReleaseRequest {
        metadata = Map.copyOf(metadata);
    }
}
