package io.sluice.bus.secrets;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal and open secrets, each under an id: the current key seals, every key of the ring
 * opens, so a key is rotated by making a new one current and dropping the old one once nothing sealed with it is
 * still in use.
 */
public final class SecretKeyRing {

    /** Bytes of an AES-256 key. */
    public static final int KEY_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> keysById;
    private final String currentKeyId;

    private SecretKeyRing(Map<String, SecretKey> keysById, String currentKeyId) {
        this.keysById = keysById;
        this.currentKeyId = currentKeyId;
    }

    /**
     * The ring of the configured keys, each given as the base64 of 32 bytes under its id, sealing with
     * {@code currentKeyId}; an error names the key id that is wrong and why, never the key.
     */
    public static SecretKeyRing of(Map<String, String> base64KeysById, String currentKeyId) {
        if (base64KeysById == null || base64KeysById.isEmpty()) {
            throw new IllegalArgumentException("The secret key ring has no key: give at least one, as base64 of "
                    + KEY_BYTES + " bytes, under an id");
        }
        if (currentKeyId == null || currentKeyId.isBlank()) {
            throw new IllegalArgumentException("The secret key ring names no current key: name the id of the key "
                    + "that seals, one of " + base64KeysById.keySet());
        }
        if (!base64KeysById.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("The current secret key \"" + currentKeyId + "\" is not in the key "
                    + "ring, whose key ids are " + base64KeysById.keySet());
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        base64KeysById.forEach((keyId, base64) -> keys.put(requireValidId(keyId), decode(keyId, base64)));
        return new SecretKeyRing(Map.copyOf(keys), currentKeyId);
    }

    /** A fresh random key as base64, for {@code sluice dev} and tests; configuration holds it as is. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The id of the key that seals. */
    public String currentKeyId() {
        return currentKeyId;
    }

    /** The ids of every key that opens. */
    public Set<String> keyIds() {
        return keysById.keySet();
    }

    SecretKey currentKey() {
        return keysById.get(currentKeyId);
    }

    Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(keysById.get(keyId));
    }

    @Override
    public String toString() {
        return "SecretKeyRing[current=" + currentKeyId + ", keyIds=" + keysById.keySet() + " (keys hidden)]";
    }

    private static String requireValidId(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("A secret key has a blank id: give every key a non-blank id");
        }
        return keyId;
    }

    private static SecretKey decode(String keyId, String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("The secret key \"" + keyId + "\" is empty: give it as base64 of "
                    + KEY_BYTES + " bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character, which is part of the key: leave it out.
            throw new IllegalArgumentException("The secret key \"" + keyId + "\" is not valid base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("The secret key \"" + keyId + "\" has " + key.length
                    + " bytes where AES-256 needs " + KEY_BYTES);
        }
        return new SecretKeySpec(key, "AES");
    }
}
