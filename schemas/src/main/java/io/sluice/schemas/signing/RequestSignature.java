package io.sluice.schemas.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.Optional;

/**
 * An owner's signature over a request as sent: a JWS (RFC 7515, ES256) whose payload is the record's encoded value,
 * detached (RFC 7515 appendix F), carried in the record header {@value #HEADER}; its {@code kid} is the RFC 7638
 * thumbprint of the owner's public key.
 */
public final class RequestSignature {

    /** The Kafka record header carrying the signature. */
    public static final String HEADER = "sluice-signature";
    /** Longest header value read; an ES256 JWS with a thumbprint kid is about 200 characters. */
    static final int MAX_LENGTH = 1024;

    private RequestSignature() {
    }

    /** The header value that signs {@code value} with {@code key}. */
    public static String sign(byte[] value, OwnerKey key) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.keyId()).build(),
                new Payload(value));
        try {
            jws.sign(new ECDSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.keyId(), e);
        }
        return jws.serialize(true);
    }

    /** The key id a signature names, or a reason it names none a verifier could look up. */
    public static Parsed parse(String header) {
        if (header.length() > MAX_LENGTH) {
            return Parsed.unreadable("signature header longer than " + MAX_LENGTH + " characters");
        }
        try {
            JWSObject jws = JWSObject.parse(header, new Payload(new byte[0]));
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
                return Parsed.unreadable("signature algorithm " + jws.getHeader().getAlgorithm() + ", not ES256");
            }
            String keyId = jws.getHeader().getKeyID();
            return keyId == null || keyId.isBlank()
                    ? Parsed.unreadable("signature names no key (kid)") : new Parsed(Optional.of(keyId), null);
        } catch (ParseException e) {
            return Parsed.unreadable("signature is not a JWS: " + e.getMessage());
        }
    }

    /** Whether {@code header} is a valid signature of exactly {@code value} by {@code key}. */
    public static boolean verifies(String header, byte[] value, ECPublicKey key) {
        try {
            return JWSObject.parse(header, new Payload(value)).verify(new ECDSAVerifier(key));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return false;
        }
    }

    /** A parsed header: the key id it names, else why it cannot be used. */
    public record Parsed(Optional<String> keyId, String problem) {
        static Parsed unreadable(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }
}
