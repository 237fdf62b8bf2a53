package io.sluice.well.store.provision;

import java.time.Instant;
import java.util.Map;

/**
 * One instance to create: its id (unique, stable across retries), its type, the job and owner it is for, the job's
 * non-secret parameters, the slot it holds among its type's capacity (0-based) and when it expires at the latest.
 */
public record ProvisionRequest(String instanceId, String type, String jobId, String owner,
                               Map<String, String> parameters, int slot, Instant expiresAt) {

    public ProvisionRequest {
        parameters = Map.copyOf(parameters);
    }
}
