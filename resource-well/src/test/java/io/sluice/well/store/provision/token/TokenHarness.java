package io.sluice.well.store.provision.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.sluice.bus.db.BusSchema;
import io.sluice.testing.IsolatedScope;
import io.sluice.well.store.TokenSigningKeyStore;
import java.time.Clock;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A well's schema with its migrations applied, token signing keys over it, and a verifier of what they sign. */
final class TokenHarness {

    static final String ISSUER = "https://well.sluice.test";

    private final IsolatedScope scope;
    private final String schema;

    TokenHarness(IsolatedScope scope, String schema) {
        this.scope = scope;
        this.schema = schema;
        BusSchema.migrate(dataSource(), schema, "classpath:db/migration");
    }

    /** A new data source on the schema, as a new instance of the well (or the same one restarted) would open. */
    DataSource dataSource() {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) scope.dataSource();
        dataSource.setCurrentSchema(schema);
        return dataSource;
    }

    /** New signing keys over the schema, as a new instance of the well would make them. */
    TokenSigningKeys newKeys(Clock clock) {
        return new TokenSigningKeys(dataSource(), new TokenSigningKeyStore(), clock);
    }

    /** Verifies {@code token} (signature, issuer, audience, expiry) against the JWKS JSON an external system got. */
    static JWTClaimsSet verify(String token, String jwksJson, String audience) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(JWKSet.parse(jwksJson))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "jti", "iat", "exp")));
        return processor.process(token, null);
    }
}
