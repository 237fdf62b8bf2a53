package io.sluice.well.store.provision.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.sluice.well.store.TokenSigningKeyStore;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.sql.DataSource;

/**
 * The well's ES256 token signing key, shared by every instance of the well through its schema and made by the first
 * one that needs it, and the public keys an external system verifies tokens with.
 */
@Singleton
public final class TokenSigningKeys {

    private final DataSource dataSource;
    private final TokenSigningKeyStore store;
    private final Clock clock;
    private ECKey signingKey;

    public TokenSigningKeys(DataSource dataSource, TokenSigningKeyStore store, Clock clock) {
        // Micronaut Data's data source hands out only the connection of a surrounding @Transactional or @Connectable
        // method; the key is read and made on a connection of its own, committed at once for the other instances.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.store = store;
        this.clock = clock;
    }

    /** The private key that signs, read (or made) once and then kept: it never changes while the well runs. */
    public synchronized ECKey signingKey() throws SQLException {
        if (signingKey == null) {
            try (Connection connection = dataSource.getConnection()) {
                Instant now = clock.instant();
                signingKey = store.currentOrCreate(connection, generate(now), now);
            }
        }
        return signingKey;
    }

    /** The public half of every key whose tokens may still be in use (the signing key made first if missing). */
    public JWKSet publicKeys() throws SQLException {
        signingKey();
        List<ECKey> keys;
        try (Connection connection = dataSource.getConnection()) {
            keys = store.all(connection);
        }
        return new JWKSet(List.<JWK>copyOf(keys)).toPublicJWKSet();
    }

    /** {@link #publicKeys()} as the JSON of a JWKS document. */
    public String publicKeysJson() throws SQLException {
        return publicKeys().toString(true);
    }

    private static ECKey generate(Instant now) {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .issueTime(Date.from(now))
                    .generate();
        } catch (JOSEException e) {
            // Every Java SE runtime has EC P-256; only a broken JDK gets here.
            throw new IllegalStateException("Could not generate an EC P-256 token signing key", e);
        }
    }
}
