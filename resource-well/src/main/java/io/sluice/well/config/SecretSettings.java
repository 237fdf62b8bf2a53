package io.sluice.well.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys that seal resources' secrets ({@code sluice.secrets.keys.<id>}: base64 of 32 bytes) and the id of the one
 * that seals now ({@code sluice.secrets.current-key}); node runners hold the same keys to open them.
 */
@ConfigurationProperties("sluice.secrets")
public final class SecretSettings {

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
        return "SecretSettings[keys=" + keys.keySet() + " (values hidden), currentKey=" + currentKey + "]";
    }
}
