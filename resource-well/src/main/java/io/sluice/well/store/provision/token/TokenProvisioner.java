package io.sluice.well.store.provision.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.Provisioner;
import io.sluice.well.store.provision.ReleaseRequest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Objects;

/**
 * Makes each instance of a {@code token} type a JWT signed with the well's ES256 key: issued by the configured
 * issuer to the job (subject) for the resource type (audience), its id ({@code jti}) the instance id, carrying the
 * owner and the request's parameters, and expiring at the request's expiry or after the type's token lifetime,
 * whichever comes first.
 *
 * <p>Secret: {@code token}, the JWT. Metadata: {@code issuer}, {@code expiresAt} (ISO-8601) and {@code keyId}, the
 * JWKS key that verifies it. Provisioning the same instance again makes a new token with the same {@code jti}
 * (and possibly a later expiry); releasing does nothing here, since a token cannot be recalled: the well core lists
 * released instances' ids for revocation from its own instance table.
 */
public final class TokenProvisioner implements Provisioner {

    /** The name of the secret holding the JWT. */
    public static final String TOKEN_SECRET = "token";

    private final TokenSigningKeys keys;
    private final String issuer;
    private final Duration tokenLifetime;
    private final Clock clock;

    public TokenProvisioner(TokenSigningKeys keys, String issuer, Duration tokenLifetime, Clock clock) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("The token provisioner needs an issuer (the iss of its tokens)");
        }
        if (tokenLifetime == null || tokenLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("A token lifetime must be at least one second, not " + tokenLifetime);
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.issuer = issuer;
        this.tokenLifetime = tokenLifetime;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ProvisionedResource provision(ProvisionRequest request) throws ProvisionFailedException {
        // A JWT counts in whole seconds; rounding the expiry down keeps it no later than the request's.
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = earliest(request.expiresAt(), issuedAt.plus(tokenLifetime)).truncatedTo(ChronoUnit.SECONDS);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new ProvisionFailedException("The token for resource " + request.instanceId() + " of type "
                    + request.type() + " would expire at " + request.expiresAt() + ", not after now (" + issuedAt
                    + "): the instance's lifetime is already over");
        }
        ECKey key = signingKey(request);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(request.jobId())
                .audience(request.type())
                .jwtID(request.instanceId())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .claim("owner", request.owner());
        if (!request.parameters().isEmpty()) {
            claims.claim("parameters", Map.copyOf(request.parameters()));
        }
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            token.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new ProvisionFailedException("Could not sign the token for resource " + request.instanceId()
                    + " with key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
        return new ProvisionedResource(
                Map.of("issuer", issuer, "expiresAt", expiresAt.toString(), "keyId", key.getKeyID()),
                Map.of(TOKEN_SECRET, token.serialize()));
    }

    /** Nothing to remove: the token expires by itself, and its revocation is listed by the well core. */
    @Override
    public void release(ReleaseRequest request) {
    }

    private ECKey signingKey(ProvisionRequest request) throws ProvisionFailedException {
        try {
            return keys.signingKey();
        } catch (SQLException e) {
            throw new ProvisionFailedException("Could not read or create the token signing key in the well's "
                    + "database (table token_signing_key) for resource " + request.instanceId() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
