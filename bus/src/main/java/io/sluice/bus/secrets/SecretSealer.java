package io.sluice.bus.secrets;

import io.sluice.events.SealedSecret;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The one way Sluice seals a secret's value for the topics and opens it again: AES-256-GCM with the key ring's
 * current key, a random 96-bit nonce per seal, and associated data binding the value to its resource instance and
 * secret name, so a value copied to another resource or name does not open.
 *
 * <p>The ciphertext is the nonce (12 bytes) followed by the encrypted value and its 16-byte tag. Random nonces are
 * safe for about 2^32 seals under one key; rotate the key well before that.
 */
public final class SecretSealer {

    /** The name a {@link SealedSecret} carries for this scheme. */
    public static final String ALGORITHM = "AES-256-GCM";

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    // Names the purpose and layout of the associated data, so a future layout can never be mistaken for this one.
    private static final byte[] CONTEXT = "sluice.sealed-secret.v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeyRing keys;
    private final SecureRandom random = new SecureRandom();

    public SecretSealer(SecretKeyRing keys) {
        this.keys = keys;
    }

    /** Seals {@code value}, the secret {@code secretName} of the resource instance {@code resourceId}. */
    public SealedSecret seal(String resourceId, String secretName, String value) {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(secretName, "secretName");
        Objects.requireNonNull(value, "value");
        String keyId = keys.currentKeyId();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.currentKey(), nonce);
            cipher.updateAAD(associatedData(keyId, resourceId, secretName));
            byte[] encrypted = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            ByteBuffer ciphertext = ByteBuffer.allocate(NONCE_BYTES + encrypted.length).put(nonce).put(encrypted);
            return new SealedSecret(keyId, ALGORITHM, ciphertext.flip());
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime has AES/GCM; only a broken JDK gets here.
            throw new IllegalStateException("Could not seal the secret \"" + secretName + "\" of resource "
                    + resourceId + " with " + ALGORITHM + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Opens the secret {@code secretName} of the resource instance {@code resourceId}; fails, naming what is wrong,
     * when its key is not in the ring, its algorithm is not {@value #ALGORITHM}, or it was altered or sealed for
     * another resource or name.
     */
    public String open(String resourceId, String secretName, SealedSecret sealed) throws SecretOpenFailedException {
        String what = "The sealed secret \"" + secretName + "\" of resource " + resourceId;
        if (!ALGORITHM.equals(sealed.getAlgorithm())) {
            throw new SecretOpenFailedException(what + " uses the algorithm \"" + sealed.getAlgorithm()
                    + "\"; only " + ALGORITHM + " opens here");
        }
        String keyId = sealed.getKeyId();
        SecretKey key = keys.key(keyId).orElseThrow(() -> new SecretOpenFailedException(what
                + " was sealed with the unknown key id \"" + keyId + "\"; the key ring holds " + keys.keyIds()));
        ByteBuffer ciphertext = sealed.getCiphertext().duplicate();
        if (ciphertext.remaining() < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretOpenFailedException(what + " is too short to be " + ALGORITHM + " ("
                    + ciphertext.remaining() + " bytes): it was truncated or altered");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        ciphertext.get(nonce);
        byte[] encrypted = new byte[ciphertext.remaining()];
        ciphertext.get(encrypted);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData(keyId, resourceId, secretName));
            return new String(cipher.doFinal(encrypted), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretOpenFailedException(what + " does not open with key \"" + keyId + "\": it was altered, "
                    + "or sealed for another resource or secret name");
        } catch (GeneralSecurityException e) {
            throw new SecretOpenFailedException(what + " does not open with key \"" + keyId + "\": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    /** Each part prefixed with its length, so no two different (key, resource, name) give the same bytes. */
    static byte[] associatedData(String keyId, String resourceId, String secretName) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] part : new byte[][] {CONTEXT, utf8(keyId), utf8(resourceId), utf8(secretName)}) {
            data.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
            data.writeBytes(part);
        }
        return data.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
