package io.sluice.well.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.http.client.HttpClient;
import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.events.GrantedResource;
import io.sluice.events.resource.ResourceProvisionFailed;
import io.sluice.schemas.Topic;
import io.sluice.testing.IsolatedScopeExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The well's HTTP API: its types and their use, a type's instances without secrets, released tokens revoked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WellApiTest {

    @RegisterExtension
    static final IsolatedScopeExtension SCOPE = new IsolatedScopeExtension();

    private WellHarness harness;
    private HttpClient client;

    @BeforeAll
    void startTheWell() {
        harness = new WellHarness(SCOPE.get(), Map.of(
                "sluice.secrets.keys.k1", SecretKeyRing.generateKey(),
                "sluice.secrets.current-key", "k1",
                "sluice.well.types.api-token.provisioner", "token",
                "sluice.well.types.api-token.capacity", 5,
                "sluice.well.types.api-token.privilege", "ci",
                "sluice.well.types.api-token.settings.issuer", "https://well.example",
                "sluice.well.types.bench.provisioner", "semaphore"), true);
        client = HttpClient.create(harness.http.getURL());
    }

    @AfterAll
    void stopTheWell() {
        client.close();
        harness.close();
    }

    @Test
    void the_types_say_their_capacity_use_and_queue_and_an_instance_is_listed_without_its_secret() {
        harness.jobDemands("counted", "bench");
        harness.jobDemands("queued", "bench");
        harness.awaitGranted("counted");
        harness.awaitHandled("bench");

        String types = client.toBlocking().retrieve("/types");
        assertThat(types).contains("\"name\":\"bench\",\"capacity\":1,\"provisioner\":\"semaphore\"")
                .contains("\"inUse\":1,\"queued\":1")
                .contains("\"name\":\"api-token\",\"capacity\":5,\"privilege\":\"ci\"");

        harness.jobDemands("listed", "api-token");
        GrantedResource token = harness.awaitGranted("listed");
        String instances = client.toBlocking().retrieve("/types/api-token/instances");
        assertThat(instances).contains("\"instanceId\":\"" + token.getResourceId() + "\"")
                .contains("\"state\":\"GRANTED\"").contains("\"issuer\":\"https://well.example\"")
                .doesNotContain("eyJ");
    }

    @Test
    void the_metrics_show_capacity_use_queue_and_the_time_demands_waited_and_provisioning_took() {
        harness.jobDemands("metered", "api-token");
        harness.awaitGranted("metered");
        harness.jobDemands("refused", "no-such");
        harness.events.await(Topic.RESOURCE_EVENTS, "refused", ResourceProvisionFailed.class);

        await().atMost(WellHarness.DEADLINE).untilAsserted(() ->
                assertThat(client.toBlocking().retrieve("/prometheus"))
                        .contains("sluice_well_capacity{type=\"api-token\"} 5.0")
                        .contains("sluice_well_instances{state=\"GRANTED\",type=\"api-token\"}")
                        .contains("sluice_well_demands_queued{type=\"bench\"}")
                        .contains("sluice_well_queue_wait_seconds_count{type=\"api-token\"}")
                        .contains("sluice_well_provision_duration_seconds_count{outcome=\"granted\",type=\"api-token\"}")
                        .contains("sluice_well_failures_total{kind=\"unknown-type\",type=\"no-such\"} 1.0"));
    }

    @Test
    void a_token_released_before_it_expires_is_listed_as_revoked() {
        harness.jobDemands("revokes", "api-token");
        GrantedResource token = harness.awaitGranted("revokes");
        assertThat(client.toBlocking().retrieve("/tokens/revoked")).doesNotContain(token.getResourceId());

        harness.jobReleases("revokes", token);
        harness.awaitReleased("revokes");

        assertThat(client.toBlocking().retrieve("/tokens/revoked"))
                .contains("\"jti\":\"" + token.getResourceId() + "\"");
    }
}
