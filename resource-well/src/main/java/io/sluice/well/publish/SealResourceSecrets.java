package io.sluice.well.publish;

import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.SecretRef;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns an instance's clear-text secrets into sealed references, bound to the instance and the secret's name. */
public final class SealResourceSecrets {

    private final SecretSealer sealer;

    /** {@code sealer} is null for a well configured without keys, whose types make no secrets. */
    public SealResourceSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    public List<SecretRef> seal(String instanceId, Map<String, String> secrets) {
        if (secrets.isEmpty()) {
            return List.of();
        }
        if (sealer == null) {
            throw new IllegalStateException("resource " + instanceId + " has secrets and the well has no key to seal"
                    + " them (sluice.secrets.keys)");
        }
        return new TreeMap<>(secrets).entrySet().stream().map(secret -> SecretRef.newBuilder()
                .setName(secret.getKey()).setSource(sealer.seal(instanceId, secret.getKey(), secret.getValue()))
                .build()).toList();
    }
}
