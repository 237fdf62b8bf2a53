package io.sluice.well.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.events.GrantedResource;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.IsolatedScopeExtension;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.postgres.PostgresDatabaseProvisioner;
import io.sluice.well.store.provision.postgres.PostgresDatabaseSettings;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A database and role of a type's prefix that no live instance owns are removed; a granted one stays. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoveLeftoverDatabasesTest {

    @RegisterExtension
    static final IsolatedScopeExtension SCOPE = new IsolatedScopeExtension();

    private static final String PREFIX = "leftover_test_";

    private WellHarness harness;
    private PostgresDatabaseProvisioner sameServer;

    @BeforeAll
    void startTheWell() {
        IsolatedScope scope = SCOPE.get();
        URI server = URI.create(scope.jdbcUrl().substring("jdbc:".length()));
        sameServer = new PostgresDatabaseProvisioner(new PostgresDatabaseSettings(scope.jdbcUrl(), scope.username(),
                scope.password(), server.getHost(), server.getPort(), PREFIX));
        harness = new WellHarness(scope, Map.of(
                "sluice.secrets.keys.k1", SecretKeyRing.generateKey(),
                "sluice.secrets.current-key", "k1",
                "sluice.well.leftover-check-interval", "200ms",
                "sluice.well.types.scratch-db.provisioner", "postgres-database",
                "sluice.well.types.scratch-db.settings.admin-jdbc-url", scope.jdbcUrl(),
                "sluice.well.types.scratch-db.settings.admin-user", scope.username(),
                "sluice.well.types.scratch-db.settings.admin-password", scope.password(),
                "sluice.well.types.scratch-db.settings.job-host", server.getHost(),
                "sluice.well.types.scratch-db.settings.job-port", String.valueOf(server.getPort()),
                "sluice.well.types.scratch-db.settings.name-prefix", PREFIX));
    }

    @AfterAll
    void stopTheWell() {
        harness.close();
    }

    @Test
    void what_no_live_instance_owns_is_removed_and_a_granted_database_stays() throws Exception {
        harness.jobDemands("keeps-its-db", "scratch-db");
        GrantedResource granted = harness.awaitGranted("keeps-its-db");
        // Made on the server as a crash between making and recording an instance would leave it.
        sameServer.provision(new ProvisionRequest("crashed-job/scratch-db", "scratch-db", "crashed-job", "alice",
                Map.of(), 0, Instant.now().plusSeconds(3600)));
        String leftover = sameServer.objectName("crashed-job/scratch-db");
        assertThat(sameServer.listProvisioned().databases()).contains(leftover);

        await().atMost(WellHarness.DEADLINE).until(() -> sameServer.listProvisioned().lacks(leftover));

        assertThat(sameServer.listProvisioned().databases()).containsExactly(granted.getMetadata().get("database"));
        assertThat(sameServer.listProvisioned().roles()).containsExactly(granted.getMetadata().get("user"));
    }
}
