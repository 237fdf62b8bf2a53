package io.sluice.well.store.provision;

import java.util.Map;

/**
 * What a provisioner made: non-secret metadata the job reads (host, port, slot...) and secrets in clear text
 * (password, token), which never leave the well unsealed.
 */
public record ProvisionedResource(Map<String, String> metadata, Map<String, String> secrets) {

    public ProvisionedResource {
        metadata = Map.copyOf(metadata);
        secrets = Map.copyOf(secrets);
    }

    @Override
    public String toString() {
        return "ProvisionedResource[metadata=" + metadata + ", secrets=" + secrets.keySet() + " (values hidden)]";
    }
}
