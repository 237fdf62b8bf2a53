package io.sluice.runner.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys that open the sealed secrets of the workers' resources, the resource well's own: {@code
 * sluice.secrets.keys.<id>} (base64 of 32 bytes; {@code SLUICE_SECRETS_KEYS_<ID>}) and {@code
 * sluice.secrets.current-key} ({@code SLUICE_SECRETS_CURRENT_KEY}).
 */
@ConfigurationProperties("sluice.secrets")
public class NodeSecretKeys {

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
        return "NodeSecretKeys[keys=" + keys.keySet() + " (values hidden), currentKey=" + currentKey + "]";
    }
}
