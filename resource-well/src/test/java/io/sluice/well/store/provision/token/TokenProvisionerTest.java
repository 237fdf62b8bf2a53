package io.sluice.well.store.provision.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.testing.IsolatedScopeExtension;
import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.ReleaseRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A token instance is a JWT for its job and type that verifies against the well's JWKS and expires in time. */
class TokenProvisionerTest {

    @RegisterExtension
    static final IsolatedScopeExtension scope = new IsolatedScopeExtension();

    private static final Duration LIFETIME = Duration.ofMinutes(15);

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private TokenHarness harness;
    private TokenSigningKeys keys;
    private TokenProvisioner provisioner;

    @BeforeEach
    void newWell() {
        harness = new TokenHarness(scope.get(), "token_provisioner");
        keys = harness.newKeys(clock);
        provisioner = new TokenProvisioner(keys, TokenHarness.ISSUER, LIFETIME, clock);
    }

    @Test
    void a_token_verifies_against_the_served_jwks_and_carries_the_job_the_type_and_the_instance() throws Exception {
        ProvisionedResource resource = provisioner.provision(request("res-1", now.plus(Duration.ofHours(2))));

        String token = resource.secrets().get("token");
        JWTClaimsSet claims = TokenHarness.verify(token, keys.publicKeysJson(), "ci-token");

        assertThat(claims.getIssuer()).isEqualTo(TokenHarness.ISSUER);
        assertThat(claims.getSubject()).isEqualTo("job-42");
        assertThat(claims.getAudience()).containsExactly("ci-token");
        assertThat(claims.getJWTID()).isEqualTo("res-1");
        assertThat(claims.getStringClaim("owner")).isEqualTo("alice");
        assertThat(claims.getJSONObjectClaim("parameters")).isEqualTo(Map.of("repository", "sluice"));
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(now));
        SignedJWT parsed = SignedJWT.parse(token);
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(parsed.getHeader().getKeyID()).isEqualTo(keys.signingKey().getKeyID());
    }

    @Test
    void the_metadata_names_the_issuer_the_expiry_and_the_key_and_holds_no_token() throws Exception {
        ProvisionedResource resource = provisioner.provision(request("res-1", now.plus(Duration.ofHours(2))));

        assertThat(resource.metadata()).containsOnly(
                Map.entry("issuer", TokenHarness.ISSUER),
                Map.entry("expiresAt", now.plus(LIFETIME).toString()),
                Map.entry("keyId", keys.signingKey().getKeyID()));
        assertThat(resource.secrets()).containsOnlyKeys("token");
        assertThat(resource.toString()).doesNotContain(resource.secrets().get("token"));
    }

    @Test
    void a_token_expires_after_the_types_lifetime_when_the_instance_lives_longer() throws Exception {
        ProvisionedResource resource = provisioner.provision(request("res-1", now.plus(Duration.ofDays(1))));

        JWTClaimsSet claims = SignedJWT.parse(resource.secrets().get("token")).getJWTClaimsSet();

        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(now.plus(LIFETIME)));
    }

    @Test
    void a_token_expires_no_later_than_the_instance() throws Exception {
        Instant instanceExpiry = now.plus(Duration.ofMinutes(5)).plusMillis(750);

        ProvisionedResource resource = provisioner.provision(request("res-1", instanceExpiry));

        Date expiry = SignedJWT.parse(resource.secrets().get("token")).getJWTClaimsSet().getExpirationTime();
        assertThat(expiry.toInstant()).isBeforeOrEqualTo(instanceExpiry)
                .isEqualTo(instanceExpiry.truncatedTo(ChronoUnit.SECONDS));
        assertThat(Instant.parse(resource.metadata().get("expiresAt"))).isEqualTo(expiry.toInstant());
    }

    @Test
    void an_instance_already_expired_gets_no_token_and_the_failure_says_why() {
        assertThatThrownBy(() -> provisioner.provision(request("res-1", now.minusSeconds(1))))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessageContaining("res-1").hasMessageContaining("ci-token")
                .hasMessageContaining("already over");
    }

    @Test
    void provisioning_an_instance_again_makes_a_token_with_the_same_id() throws Exception {
        String first = provisioner.provision(request("res-1", now.plus(Duration.ofHours(1)))).secrets().get("token");
        String second = provisioner.provision(request("res-1", now.plus(Duration.ofHours(1)))).secrets().get("token");

        String jwks = keys.publicKeysJson();
        assertThat(TokenHarness.verify(second, jwks, "ci-token").getJWTID())
                .isEqualTo(TokenHarness.verify(first, jwks, "ci-token").getJWTID()).isEqualTo("res-1");
    }

    @Test
    void a_token_does_not_verify_for_another_type_nor_against_another_wells_keys() throws Exception {
        String token = provisioner.provision(request("res-1", now.plus(Duration.ofHours(1)))).secrets().get("token");
        TokenHarness otherWell = new TokenHarness(scope.get(), "token_provisioner_other");

        assertThatThrownBy(() -> TokenHarness.verify(token, keys.publicKeysJson(), "other-token"))
                .isInstanceOf(BadJOSEException.class).hasMessageContaining("aud claim rejected");
        assertThatThrownBy(() -> TokenHarness.verify(token, otherWell.newKeys(clock).publicKeysJson(), "ci-token"))
                .isInstanceOf(BadJOSEException.class).hasMessageContaining("no matching key");
    }

    @Test
    void an_expired_token_does_not_verify() throws Exception {
        Clock anHourAgo = Clock.fixed(now.minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String token = new TokenProvisioner(keys, TokenHarness.ISSUER, LIFETIME, anHourAgo)
                .provision(request("res-1", now.plus(Duration.ofHours(1)))).secrets().get("token");

        assertThatThrownBy(() -> TokenHarness.verify(token, keys.publicKeysJson(), "ci-token"))
                .isInstanceOf(BadJOSEException.class).hasMessageContaining("Expired");
    }

    @Test
    void releasing_leaves_the_signing_key_in_place() throws Exception {
        ProvisionedResource resource = provisioner.provision(request("res-1", now.plus(Duration.ofHours(1))));

        provisioner.release(new ReleaseRequest("res-1", "ci-token", resource.metadata()));
        provisioner.release(new ReleaseRequest("res-1", "ci-token", resource.metadata()));

        assertThat(harness.newKeys(clock).signingKey().getKeyID()).isEqualTo(resource.metadata().get("keyId"));
    }

    @Test
    void a_provisioner_needs_an_issuer_and_a_lifetime_of_a_second_or_more() {
        assertThatThrownBy(() -> new TokenProvisioner(keys, " ", LIFETIME, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
        assertThatThrownBy(() -> new TokenProvisioner(keys, TokenHarness.ISSUER, Duration.ofMillis(500), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one second");
    }

    private static ProvisionRequest request(String instanceId, Instant expiresAt) {
        return new ProvisionRequest(instanceId, "ci-token", "job-42", "alice", Map.of("repository", "sluice"), 0,
                expiresAt);
    }
}
