package io.sluice.runner.store.resources;

import io.sluice.bus.secrets.SecretOpenFailedException;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.GrantedResource;
import io.sluice.events.SealedSecret;
import io.sluice.events.SecretLocation;
import io.sluice.events.SecretRef;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a resource's secrets into their clear values, in memory only: sealed ones with the node's key ring (the
 * resource well's keys), located ones by reading their {@code file://} URI.
 */
public final class ResourceSecrets {

    /** The settings that give a node its keys, named wherever a sealed secret finds none. */
    public static final String KEY_SETTINGS = "sluice.secrets.keys.<id> (SLUICE_SECRETS_KEYS_<ID>, base64 of 32 "
            + "bytes) and sluice.secrets.current-key (SLUICE_SECRETS_CURRENT_KEY), the resource well's keys";

    private final SecretSealer sealer;

    /** @param sealer opens sealed secrets; null for a node configured without keys */
    public ResourceSecrets(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** The clear value of each of the resource's secrets, by name, in the resource's order. */
    public Map<String, byte[]> open(GrantedResource resource) throws ResourceSecretException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (SecretRef secret : resource.getSecrets()) {
            values.put(secret.getName(), switch (secret.getSource()) {
                case SealedSecret sealed -> unseal(resource, secret.getName(), sealed);
                case SecretLocation location -> read(resource, secret.getName(), location.getUri());
                default -> throw new ResourceSecretException(what(resource, secret.getName())
                        + " has a source this node does not know: " + secret.getSource().getClass().getSimpleName());
            });
        }
        return values;
    }

    private byte[] unseal(GrantedResource resource, String name, SealedSecret sealed)
            throws ResourceSecretException {
        if (sealer == null) {
            throw new ResourceSecretException(what(resource, name) + " is sealed, and this node has no secret key "
                    + "to open it: configure " + KEY_SETTINGS);
        }
        try {
            return sealer.open(resource.getResourceId(), name, sealed).getBytes(StandardCharsets.UTF_8);
        } catch (SecretOpenFailedException e) {
            throw new ResourceSecretException(e.getMessage());
        }
    }

    private static byte[] read(GrantedResource resource, String name, String uri) throws ResourceSecretException {
        URI location;
        try {
            location = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new ResourceSecretException(what(resource, name) + " is at '" + uri + "', which is not a URI");
        }
        if (!"file".equals(location.getScheme())) {
            throw new ResourceSecretException(what(resource, name) + " is at '" + uri + "': this node reads "
                    + "secrets from file:// locations only");
        }
        try {
            return Files.readAllBytes(Path.of(location));
        } catch (IOException | IllegalArgumentException e) {
            throw new ResourceSecretException(what(resource, name) + " cannot be read from '" + uri + "': "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static String what(GrantedResource resource, String name) {
        return "the secret \"" + name + "\" of resource " + resource.getResourceId() + " (" + resource.getType()
                + ")";
    }
}
