package io.sluice.well.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.GrantedResource;
import io.sluice.events.SealedSecret;
import io.sluice.events.SecretRef;
import io.sluice.schemas.Topic;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.IsolatedScopeExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A scratch PostgreSQL database from the well, end to end over the broker: the grant carries where it is and a
 * sealed password that only the key ring opens, the job's role uses it, and the release leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScratchDatabaseGrantTest {

    @RegisterExtension
    static final IsolatedScopeExtension SCOPE = new IsolatedScopeExtension();

    private final String key = SecretKeyRing.generateKey();
    private WellHarness harness;
    private URI server;

    @BeforeAll
    void startTheWell() {
        IsolatedScope scope = SCOPE.get();
        server = URI.create(scope.jdbcUrl().substring("jdbc:".length()));
        harness = new WellHarness(scope, Map.of(
                "sluice.secrets.keys.k1", key,
                "sluice.secrets.current-key", "k1",
                "sluice.well.types.scratch-db.capacity", 2,
                "sluice.well.types.scratch-db.provisioner", "postgres-database",
                "sluice.well.types.scratch-db.settings.admin-jdbc-url", scope.jdbcUrl(),
                "sluice.well.types.scratch-db.settings.admin-user", scope.username(),
                "sluice.well.types.scratch-db.settings.admin-password", scope.password(),
                "sluice.well.types.scratch-db.settings.job-host", server.getHost(),
                "sluice.well.types.scratch-db.settings.job-port", String.valueOf(server.getPort()),
                "sluice.well.types.scratch-db.settings.name-prefix", "grant_test_"));
    }

    @AfterAll
    void stopTheWell() {
        harness.close();
    }

    @Test
    void a_granted_database_is_the_jobs_with_its_password_sealed_on_the_topic_and_gone_after_release()
            throws Exception {
        harness.jobDemands("needs-db", "scratch-db");
        GrantedResource database = harness.awaitGranted("needs-db");

        assertThat(database.getMetadata()).containsEntry("host", server.getHost())
                .containsEntry("port", String.valueOf(server.getPort())).containsKeys("database", "user");
        assertThat(database.getSecrets()).extracting(SecretRef::getName).containsExactly("password");
        SealedSecret sealed = (SealedSecret) database.getSecrets().getFirst().getSource();
        String password = new SecretSealer(SecretKeyRing.of(Map.of("k1", key), "k1"))
                .open(database.getResourceId(), "password", sealed);
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        for (ConsumerRecord<byte[], byte[]> record : harness.scope.topicReader()
                .readAll(harness.events.topicName(Topic.RESOURCE_EVENTS))) {
            assertThat(new String(record.value(), StandardCharsets.ISO_8859_1)).doesNotContain(password);
        }

        String url = "jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + "/"
                + database.getMetadata().get("database");
        try (Connection job = DriverManager.getConnection(url, database.getMetadata().get("user"), password);
             Statement statement = job.createStatement()) {
            statement.execute("CREATE TABLE results (id int)");
            statement.execute("INSERT INTO results VALUES (1)");
        }

        harness.jobReleases("needs-db", database);
        harness.awaitReleased("needs-db");
        assertThat(existing("SELECT count(*) FROM pg_database WHERE datname = '"
                + database.getMetadata().get("database") + "'")).isZero();
        assertThat(existing("SELECT count(*) FROM pg_roles WHERE rolname = '"
                + database.getMetadata().get("user") + "'")).isZero();
    }

    private int existing(String query) throws Exception {
        try (Connection admin = harness.scope.dataSource().getConnection();
             Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
