package io.sluice.well.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.bus.db.BusSchema;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.IsolatedScopeExtension;
import io.sluice.well.store.TokenSigningKeyStore;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.token.TokenProvisioner;
import io.sluice.well.store.provision.token.TokenSigningKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The running well serves its token keys at /.well-known/jwks.json, and a token it signs verifies against them. */
class TokenKeysControllerTest {

    @RegisterExtension
    static final IsolatedScopeExtension scope = new IsolatedScopeExtension();

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String SCHEMA = "resource_well";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_token_of_another_instance_verifies_against_the_jwks_the_running_well_serves() throws Exception {
        // The schema as any instance of the well migrates it: the served keys need not wait for the service's own
        // start-up to get there.
        BusSchema.migrate(dataSource(scope.get()), SCHEMA, "classpath:db/migration");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(scope.get()))) {
            HttpResponse<String> response = await().atMost(DEADLINE).until(() -> get(server, "/.well-known/jwks.json"),
                    r -> r.statusCode() == 200);

            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            JWKSet served = JWKSet.parse(response.body());
            assertThat(served.getKeys()).hasSize(1);
            assertThat(served.getKeys().get(0).isPrivate()).isFalse();

            // Another instance of the well, over the same schema, signs with the key the running one serves.
            Clock clock = Clock.systemUTC();
            TokenSigningKeys otherInstance = new TokenSigningKeys(dataSource(scope.get()), new TokenSigningKeyStore(),
                    clock);
            String token = new TokenProvisioner(otherInstance, "https://well.sluice.test", Duration.ofMinutes(5),
                    clock).provision(new ProvisionRequest("res-9", "ci-token", "job-9", "carol", Map.of(), 0,
                    Instant.now().plus(Duration.ofHours(1)))).secrets().get("token");

            DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
            verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                    new ImmutableJWKSet<>(served)));
            JWTClaimsSet claims = verifier.process(token, null);
            assertThat(claims.getJWTID()).isEqualTo("res-9");
            assertThat(claims.getSubject()).isEqualTo("job-9");
            assertThat(get(server, "/.well-known/jwks.json").body()).as("the same keys on every request")
                    .isEqualTo(response.body());
        }
    }

    private static Map<String, Object> properties(IsolatedScope scope) {
        return Map.of(
                "micronaut.server.port", -1,
                "sluice.kafka.bootstrap-servers", scope.bootstrapServers(),
                "sluice.topic-prefix", scope.topicPrefix(),
                "sluice.retry-interval", "1s",
                "datasources.default.url", scope.jdbcUrl(),
                "datasources.default.username", scope.username(),
                "datasources.default.password", scope.password());
    }

    private static PGSimpleDataSource dataSource(IsolatedScope scope) {
        PGSimpleDataSource dataSource = (PGSimpleDataSource) scope.dataSource();
        dataSource.setCurrentSchema(SCHEMA);
        return dataSource;
    }

    private HttpResponse<String> get(EmbeddedServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
