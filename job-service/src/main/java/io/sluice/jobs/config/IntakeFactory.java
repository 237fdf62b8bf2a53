package io.sluice.jobs.config;

import io.micronaut.context.annotation.Factory;
import io.sluice.jobs.domain.Catalogue;
import io.micronaut.context.exceptions.ConfigurationException;
import io.sluice.jobs.domain.JobSpecValidator;
import io.sluice.jobs.domain.OwnerKeys;
import io.sluice.schemas.signing.OwnerKey;
import jakarta.inject.Singleton;
import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds intake's catalogue of targets (resource types are the wells' to declare), its limits and its registry of
 * owners' keys from configuration.
 */
@Factory
public class IntakeFactory {

    @Singleton
    Catalogue catalogue(List<TargetProperties> targets) {
        return new Catalogue(
                targets.stream().map(t -> new Catalogue.Target(t.getName(), t.getPrivilege(), t.getAliases()))
                        .collect(Collectors.toMap(Catalogue.Target::name, Function.identity())));
    }

    /** Refuses to start on a key that does not parse or is registered for two owners, naming the property. */
    @Singleton
    OwnerKeys ownerKeys(List<OwnerProperties> owners) {
        Map<String, OwnerKeys.Registered> byKeyId = new HashMap<>();
        for (OwnerProperties owner : owners) {
            for (int i = 0; i < owner.getPublicKeys().size(); i++) {
                String property = "sluice.jobs.owners." + owner.getOwner() + ".public-keys[" + i + "]";
                ECPublicKey key;
                try {
                    key = OwnerKey.parsePublicKey(owner.getPublicKeys().get(i));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(property + ": " + e.getMessage());
                }
                var previous = byKeyId.put(OwnerKey.keyIdOf(key), new OwnerKeys.Registered(owner.getOwner(), key));
                if (previous != null) {
                    throw new ConfigurationException(property + ": the same key is registered for owner '"
                            + previous.owner() + "'; a key speaks for one owner");
                }
            }
        }
        return new OwnerKeys(byKeyId);
    }

    @Singleton
    JobSpecValidator jobSpecValidator(Catalogue catalogue, SpecLimitsProperties limits) {
        return new JobSpecValidator(catalogue, limits.limits());
    }
}
