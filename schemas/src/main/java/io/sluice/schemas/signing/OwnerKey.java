package io.sluice.schemas.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An owner's signing key (EC P-256): kept as a PEM file readable by its owner alone, holding the PKCS#8 private key
 * and its public key (the JDK cannot derive one from the other); registered with job-service as its public half in
 * one line ({@link #publicKeyText()}, base64 of the X.509 SubjectPublicKeyInfo).
 */
public record OwnerKey(ECPrivateKey privateKey, ECPublicKey publicKey, String keyId) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----(?<body>[A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern PEM_PUBLIC_BLOCK = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----(?<body>[A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final Pattern PEM_PUBLIC = Pattern.compile("\\s*-----BEGIN PUBLIC KEY-----|-----END PUBLIC KEY-----\\s*");
    /** A PEM file of a P-256 key is about 240 bytes; anything much larger is not one. */
    private static final long MAX_FILE_BYTES = 16 * 1024;

    @Override
    public String toString() {
        return "OwnerKey[" + keyId + "]";
    }

    /** A new random key. */
    public static OwnerKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return of((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    /**
     * Reads a key written by {@link #writeTo}: an unencrypted PKCS#8 PEM EC P-256 private key followed by its PEM
     * public key (for a key made by openssl: {@code openssl pkey -in k.pem -pubout >> k.pem}).
     */
    public static OwnerKey read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException(file + ": not a key file (" + Files.size(file) + " bytes)");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        var privateBlock = PEM.matcher(text);
        var publicBlock = PEM_PUBLIC_BLOCK.matcher(text);
        if (!privateBlock.find() || !publicBlock.find()) {
            throw new IOException(file + ": needs a '-----BEGIN PRIVATE KEY-----' block (unencrypted PKCS#8) and a "
                    + "'-----BEGIN PUBLIC KEY-----' block");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(privateBlock.group("body"));
            var privateKey = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            ECPublicKey publicKey = parsePublicKey(publicBlock.group("body"));
            OwnerKey key = of(privateKey, publicKey);
            if (!RequestSignature.verifies(RequestSignature.sign(new byte[] {1}, key), new byte[] {1}, publicKey)) {
                throw new IOException(file + ": its public key is not the private key's");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IOException(file + ": not an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** Writes the key as PEM (private, then public), readable and writable by the file's owner only; fails if it exists. */
    public void writeTo(Path file) throws IOException {
        var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String pem = "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
                + base64.encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The public half as one line, the form an operator registers with job-service. */
    public String publicKeyText() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** Parses a registered public key line (also accepted: the same wrapped in PEM armour). */
    public static ECPublicKey parsePublicKey(String text) {
        String body = PEM_PUBLIC.matcher(text).replaceAll("").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an EC P-256 public key: not base64 (" + e.getMessage() + ")", e);
        }
        try {
            var key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("not an EC P-256 public key");
            }
            return ec;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an EC P-256 public key: " + e.getMessage(), e);
        }
    }

    /** The RFC 7638 thumbprint (SHA-256, base64url) of a public key: the {@code kid} of its signatures. */
    public static String keyIdOf(ECPublicKey publicKey) {
        try {
            return new ECKey.Builder(Curve.P_256, publicKey).build().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute a key thumbprint", e);
        }
    }

    private static OwnerKey of(ECPrivateKey privateKey, ECPublicKey publicKey) {
        return new OwnerKey(privateKey, publicKey, keyIdOf(publicKey));
    }
}
