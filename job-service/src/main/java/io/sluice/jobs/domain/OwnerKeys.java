package io.sluice.jobs.domain;

import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;

/** The public keys registered for owners, by key id: whose key a signature names. */
public record OwnerKeys(Map<String, Registered> byKeyId) {

    /** One registered key and the owner it speaks for. */
    public record Registered(String owner, PublicKey key) {
    }

    public OwnerKeys {
        byKeyId = Map.copyOf(byKeyId);
    }

    public Optional<Registered> find(String keyId) {
        return Optional.ofNullable(byKeyId.get(keyId));
    }
}
