package io.sluice.bus.micronaut;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys that seal resources' secrets (the resource well) and open them (the node runners), the same everywhere:
 * {@code sluice.secrets.keys.<id>} (base64 of 32 bytes; {@code SLUICE_SECRETS_KEYS_<ID>}) and {@code
 * sluice.secrets.current-key} ({@code SLUICE_SECRETS_CURRENT_KEY}), the one that seals.
 */
@ConfigurationProperties("sluice.secrets")
public class SecretKeysConfiguration {

    private Map<String, String> keys = new HashMap<>();
    private String currentKey;

    public Map<String, String> getKeys() {
        return keys;
    }

    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    public String getCurrentKey() {
        return currentKey;
    }

    public void setCurrentKey(String currentKey) {
        this.currentKey = currentKey;
    }

    @Override
    public String toString() {
        return "SecretKeysConfiguration[keys=" + keys.keySet() + " (values hidden), currentKey=" + currentKey + "]";
    }
}
