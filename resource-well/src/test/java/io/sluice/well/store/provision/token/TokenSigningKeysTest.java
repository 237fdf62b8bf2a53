package io.sluice.well.store.provision.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.sluice.testing.IsolatedScopeExtension;
import io.sluice.well.store.provision.ProvisionRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every instance of the well signs with one key kept in its schema, so tokens verify across instances and restarts. */
class TokenSigningKeysTest {

    @RegisterExtension
    static final IsolatedScopeExtension scope = new IsolatedScopeExtension();

    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private final Clock clock = Clock.systemUTC();

    @Test
    void instances_of_the_well_starting_together_over_one_schema_share_one_key() throws Exception {
        TokenHarness harness = new TokenHarness(scope.get(), "keys_shared");
        int instances = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        try {
            List<Future<String>> keyIds = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                TokenSigningKeys keys = harness.newKeys(clock);
                Callable<String> firstUse = () -> {
                    start.await();
                    return keys.signingKey().getKeyID();
                };
                keyIds.add(threads.submit(firstUse));
            }
            start.countDown();

            List<String> seen = new ArrayList<>();
            for (Future<String> keyId : keyIds) {
                seen.add(keyId.get(30, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(instances).containsOnly(seen.get(0));
            assertThat(keyRows(harness)).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void a_token_from_one_instance_verifies_against_the_jwks_another_instance_serves() throws Exception {
        TokenHarness harness = new TokenHarness(scope.get(), "keys_two_instances");
        TokenProvisioner first = new TokenProvisioner(harness.newKeys(clock), TokenHarness.ISSUER, LIFETIME, clock);
        TokenSigningKeys secondKeys = harness.newKeys(clock);
        TokenProvisioner second = new TokenProvisioner(secondKeys, TokenHarness.ISSUER, LIFETIME, clock);

        String fromFirst = first.provision(request("res-1")).secrets().get("token");
        String fromSecond = second.provision(request("res-2")).secrets().get("token");

        String servedBySecond = secondKeys.publicKeysJson();
        assertThat(TokenHarness.verify(fromFirst, servedBySecond, "ci-token").getJWTID()).isEqualTo("res-1");
        assertThat(TokenHarness.verify(fromSecond, servedBySecond, "ci-token").getJWTID()).isEqualTo("res-2");
    }

    @Test
    void a_token_signed_before_a_restart_still_verifies_and_the_key_stays_the_same() throws Exception {
        TokenHarness harness = new TokenHarness(scope.get(), "keys_restart");
        TokenSigningKeys beforeKeys = harness.newKeys(clock);
        String before = new TokenProvisioner(beforeKeys, TokenHarness.ISSUER, LIFETIME, clock)
                .provision(request("res-1")).secrets().get("token");
        String keyIdBefore = beforeKeys.signingKey().getKeyID();

        TokenHarness restarted = new TokenHarness(scope.get(), "keys_restart");
        TokenSigningKeys afterKeys = restarted.newKeys(clock);
        var after = new TokenProvisioner(afterKeys, TokenHarness.ISSUER, LIFETIME, clock).provision(request("res-2"));

        assertThat(TokenHarness.verify(before, afterKeys.publicKeysJson(), "ci-token").getJWTID()).isEqualTo("res-1");
        assertThat(after.metadata().get("keyId")).isEqualTo(keyIdBefore);
        assertThat(keyRows(restarted)).isEqualTo(1);
    }

    @Test
    void the_jwks_holds_the_public_p256_signing_key_and_no_private_part() throws Exception {
        TokenHarness harness = new TokenHarness(scope.get(), "keys_jwks");
        TokenSigningKeys keys = harness.newKeys(clock);

        String json = keys.publicKeysJson();

        JWKSet jwks = JWKSet.parse(json);
        assertThat(jwks.getKeys()).hasSize(1);
        JWK key = jwks.getKeys().get(0);
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.getKeyID()).isEqualTo(keys.signingKey().getKeyID());
        assertThat(((ECKey) key).getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(json).doesNotContain("\"d\"").doesNotContain(keys.signingKey().getD().toString());
        assertThat(keys.signingKey().isPrivate()).isTrue();
    }

    private static int keyRows(TokenHarness harness) throws Exception {
        try (Connection connection = harness.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM token_signing_key")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static ProvisionRequest request(String instanceId) {
        return new ProvisionRequest(instanceId, "ci-token", "job-7", "bob", Map.of(), 0,
                Instant.now().plus(Duration.ofHours(1)));
    }
}
