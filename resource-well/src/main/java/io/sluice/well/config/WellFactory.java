package io.sluice.well.config;

import io.sluice.bus.micronaut.SecretKeysConfiguration;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.well.domain.ResourceType;
import io.sluice.well.domain.WellTypes;
import io.sluice.well.publish.SealResourceSecrets;
import io.sluice.well.store.provision.Provisioner;
import io.sluice.well.store.provision.Provisioners;
import io.sluice.well.store.provision.command.CommandProvisioner;
import io.sluice.well.store.provision.command.CommandProvisionerSettings;
import io.sluice.well.store.provision.postgres.PostgresDatabaseProvisioner;
import io.sluice.well.store.provision.postgres.PostgresDatabaseSettings;
import io.sluice.well.store.provision.semaphore.SemaphoreProvisioner;
import io.sluice.well.store.provision.token.TokenProvisioner;
import io.sluice.well.store.provision.token.TokenSigningKeys;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the well's types, their provisioners and the secret sealer from configuration, naming any key that is wrong. */
@Factory
public class WellFactory {

    private static final Logger LOG = LoggerFactory.getLogger(WellFactory.class);

    static final Set<String> PROVISIONERS = Set.of("semaphore", "postgres-database", "command", "token");

    @Singleton
    WellTypes wellTypes(List<WellTypeSettings> settings) {
        WellTypes types = new WellTypes(settings.stream().map(WellFactory::typeOf).toList());
        LOG.info("serving {} resource type(s): {}", types.all().size(), types.all().stream()
                .map(type -> type.name() + " (" + type.provisioner() + ", capacity " + type.capacity() + ")").toList());
        return types;
    }

    @Singleton
    Provisioners provisioners(List<WellTypeSettings> settings, SecretKeysConfiguration secrets, TokenSigningKeys tokenKeys,
                              Clock clock) {
        Map<String, Provisioner> byType = new HashMap<>();
        for (WellTypeSettings type : settings) {
            if (secrets.getKeys().isEmpty() && makesSecrets(type)) {
                throw new ConfigurationException("sluice.well.types." + type.getName() + " makes secrets, and "
                        + "sluice.secrets.keys has no key to seal them with: give one (base64 of 32 bytes) under an"
                        + " id, and name it in sluice.secrets.current-key");
            }
            byType.put(type.getName(), provisionerOf(type, tokenKeys, clock));
        }
        return new Provisioners(byType);
    }

    /** The sealer of resources' secrets; none when no key is configured (then no type makes secrets). */
    @Singleton
    SealResourceSecrets sealResourceSecrets(SecretKeysConfiguration settings) {
        if (settings.getKeys().isEmpty()) {
            return new SealResourceSecrets(null);
        }
        try {
            return new SealResourceSecrets(new SecretSealer(SecretKeyRing.of(settings.getKeys(),
                    settings.getCurrentKey())));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.secrets: " + e.getMessage());
        }
    }

    private static boolean makesSecrets(WellTypeSettings type) {
        return switch (String.valueOf(type.getProvisioner())) {
            case "semaphore" -> false;
            case "command" -> !type.getSettings().getOrDefault("secret-keys", "").isBlank();
            default -> true;
        };
    }

    private static ResourceType typeOf(WellTypeSettings type) {
        String key = "sluice.well.types." + type.getName();
        if (type.getCapacity() < 1) {
            throw new ConfigurationException(key + ".capacity must be at least 1, not " + type.getCapacity());
        }
        if (type.getProvisioner() == null || !PROVISIONERS.contains(type.getProvisioner())) {
            throw new ConfigurationException(key + ".provisioner must be one of " + PROVISIONERS.stream().sorted()
                    .toList() + ", not " + type.getProvisioner());
        }
        if (type.getMaxLifetime() == null || type.getMaxLifetime().isNegative() || type.getMaxLifetime().isZero()) {
            throw new ConfigurationException(key + ".max-lifetime must be positive, not " + type.getMaxLifetime());
        }
        String privilege = type.getPrivilege() == null || type.getPrivilege().isBlank() ? null : type.getPrivilege();
        return new ResourceType(type.getName(), type.getCapacity(), privilege, type.getProvisioner(),
                type.getMaxLifetime());
    }

    private static Provisioner provisionerOf(WellTypeSettings type, TokenSigningKeys tokenKeys, Clock clock) {
        String key = "sluice.well.types." + type.getName() + ".settings";
        Map<String, String> settings = type.getSettings();
        try {
            return switch (type.getProvisioner()) {
                case "semaphore" -> new SemaphoreProvisioner();
                case "postgres-database" -> new PostgresDatabaseProvisioner(new PostgresDatabaseSettings(
                        required(settings, key, "admin-jdbc-url"), required(settings, key, "admin-user"),
                        settings.getOrDefault("admin-password", ""), required(settings, key, "job-host"),
                        Integer.parseInt(required(settings, key, "job-port")),
                        settings.getOrDefault("name-prefix", defaultNamePrefix(type.getName()))));
                case "command" -> new CommandProvisioner(new CommandProvisionerSettings(
                        Path.of(required(settings, key, "provision")), Path.of(required(settings, key, "release")),
                        settings.containsKey("timeout") ? Duration.parse("PT" + settings.get("timeout").toUpperCase())
                                : CommandProvisionerSettings.DEFAULT_TIMEOUT,
                        Arrays.stream(settings.getOrDefault("secret-keys", "").split(",")).map(String::trim)
                                .filter(k -> !k.isEmpty()).collect(Collectors.toSet())));
                case "token" -> new TokenProvisioner(tokenKeys, required(settings, key, "issuer"),
                        settings.containsKey("lifetime") ? Duration.parse("PT" + settings.get("lifetime").toUpperCase())
                                : type.getMaxLifetime(), clock);
                default -> throw new ConfigurationException("unknown provisioner " + type.getProvisioner());
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Each type's own prefix by default, so that the leftovers one type's reconciliation removes can never be another
     * type's databases on the same server.
     */
    static String defaultNamePrefix(String type) {
        String prefix = "sluice_" + type.toLowerCase().replaceAll("[^a-z0-9]", "_") + "_";
        return prefix.length() <= 30 ? prefix : prefix.substring(0, 29) + "_";
    }

    private static String required(Map<String, String> settings, String key, String name) {
        String value = settings.get(name);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(key + "." + name + " is required");
        }
        return value;
    }
}
