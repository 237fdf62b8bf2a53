package io.sluice.well.store.provision.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.util.PasswordUtil;

import io.sluice.testing.IsolatedScopeExtension;
import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.ReleaseRequest;

/** The postgres-database provisioner against the real PostgreSQL server the tests share. */
class PostgresDatabaseProvisionerTest {

    @RegisterExtension
    static final IsolatedScopeExtension scope = new IsolatedScopeExtension();

    /** Other test classes make databases on the same server; this class's own prefix keeps its listings to itself. */
    private final String prefix = "sluice_t" + UUID.randomUUID().toString().substring(0, 8) + "_";
    private final List<String> adminRolesToDrop = new ArrayList<>();
    private PostgresDatabaseSettings settings;
    private PostgresDatabaseProvisioner provisioner;

    @BeforeEach
    void configure() {
        URI server = URI.create(scope.get().jdbcUrl().substring("jdbc:".length()));
        settings = new PostgresDatabaseSettings(scope.get().jdbcUrl(), scope.get().username(),
                scope.get().password(), server.getHost(), server.getPort(), prefix);
        provisioner = new PostgresDatabaseProvisioner(settings);
    }

    @AfterEach
    void releaseEverything() throws Exception {
        PostgresProvisionedObjects left = provisioner.listProvisioned();
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String database : left.databases()) {
                statement.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            }
            for (String role : left.roles()) {
                statement.execute("DROP ROLE IF EXISTS \"" + role + "\"");
            }
            for (String role : adminRolesToDrop) {
                statement.execute("DROP ROLE IF EXISTS \"" + role + "\"");
            }
        }
    }

    @Test
    void a_provisioned_role_connects_to_its_own_database_and_creates_a_table() throws Exception {
        ProvisionedResource resource = provisioner.provision(request("inst-1"));

        String name = provisioner.objectName("inst-1");
        assertThat(resource.metadata()).containsOnlyKeys("host", "port", "database", "user")
                .containsEntry("host", settings.jobHost())
                .containsEntry("port", Integer.toString(settings.jobPort()))
                .containsEntry("database", name)
                .containsEntry("user", name);
        assertThat(resource.secrets()).containsOnlyKeys("password");
        assertThat(resource.secrets().get("password")).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
        try (Connection job = connectAsJob(resource); Statement statement = job.createStatement()) {
            statement.execute("CREATE TABLE scratch (id int PRIMARY KEY, note text)");
            statement.execute("INSERT INTO scratch VALUES (1, 'made by the job')");
            try (ResultSet rows = statement.executeQuery("SELECT note, current_user FROM scratch")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("made by the job");
                assertThat(rows.getString(2)).isEqualTo(name);
            }
        }
    }

    @Test
    void a_second_instance_role_cannot_connect_to_the_first_instance_database() throws Exception {
        ProvisionedResource first = provisioner.provision(request("first"));
        ProvisionedResource second = provisioner.provision(request("second"));

        assertThatThrownBy(() -> connect(second.metadata().get("user"), second.secrets().get("password"),
                first.metadata().get("database")).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database");
        try (Connection own = connectAsJob(second)) {
            assertThat(own.isValid(5)).isTrue();
        }
    }

    @Test
    void release_leaves_no_database_and_no_role_behind() throws Exception {
        provisioner.provision(request("to-release"));
        String name = provisioner.objectName("to-release");
        assertThat(provisioner.listProvisioned().databases()).contains(name);
        assertThat(provisioner.listProvisioned().roles()).contains(name);

        provisioner.release(new ReleaseRequest("to-release", "postgres-database", Map.of()));

        assertThat(provisioner.listProvisioned().databases()).isEmpty();
        assertThat(provisioner.listProvisioned().roles()).isEmpty();
    }

    @Test
    void releasing_an_instance_never_provisioned_or_already_released_succeeds() throws Exception {
        provisioner.release(new ReleaseRequest("never-made", "postgres-database", Map.of()));

        provisioner.provision(request("twice-released"));
        provisioner.release(new ReleaseRequest("twice-released", "postgres-database", Map.of()));
        provisioner.release(new ReleaseRequest("twice-released", "postgres-database", Map.of()));

        assertThat(provisioner.listProvisioned().lacks(provisioner.objectName("twice-released"))).isTrue();
    }

    @Test
    void releasing_a_half_made_instance_drops_what_was_made() throws Exception {
        String onlyDatabase = provisioner.objectName("only-database");
        String onlyRole = provisioner.objectName("only-role");
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE \"" + onlyDatabase + "\"");
            statement.execute("CREATE ROLE \"" + onlyRole + "\" LOGIN");
        }

        provisioner.release(new ReleaseRequest("only-database", "postgres-database", Map.of()));
        provisioner.release(new ReleaseRequest("only-role", "postgres-database", Map.of()));

        assertThat(provisioner.listProvisioned().databases()).isEmpty();
        assertThat(provisioner.listProvisioned().roles()).isEmpty();
    }

    @Test
    void provisioning_again_keeps_the_database_and_only_the_latest_password_is_valid() throws Exception {
        ProvisionedResource first = provisioner.provision(request("again"));
        try (Connection job = connectAsJob(first); Statement statement = job.createStatement()) {
            statement.execute("CREATE TABLE kept (id int)");
        }

        ProvisionedResource second = provisioner.provision(request("again"));

        assertThat(second.metadata()).isEqualTo(first.metadata());
        String name = second.metadata().get("user");
        assertThat(second.secrets().get("password")).isNotEqualTo(first.secrets().get("password"));
        assertThat(passwordMatches(name, second.secrets().get("password"))).isTrue();
        assertThat(passwordMatches(name, first.secrets().get("password"))).isFalse();
        try (Connection job = connectAsJob(second); Statement statement = job.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept")) {
            assertThat(rows.next()).isTrue();
        }
    }

    @Test
    void provisioning_after_a_crash_that_left_only_the_role_finishes_the_instance() throws Exception {
        String name = provisioner.objectName("crashed");
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE \"" + name + "\" NOLOGIN");
        }

        ProvisionedResource resource = provisioner.provision(request("crashed"));

        assertThat(passwordMatches(name, resource.secrets().get("password"))).isTrue();
        try (Connection job = connectAsJob(resource); Statement statement = job.createStatement()) {
            statement.execute("CREATE TABLE after_crash (id int)");
        }
        assertThat(provisioner.listProvisioned().databases()).containsExactly(name);
    }

    @Test
    void release_drops_everything_while_a_session_of_the_role_is_connected() throws Exception {
        ProvisionedResource resource = provisioner.provision(request("busy"));
        try (Connection job = connectAsJob(resource)) {
            try (Statement statement = job.createStatement()) {
                statement.execute("CREATE TABLE busy (id int)");
            }

            provisioner.release(new ReleaseRequest("busy", "postgres-database", resource.metadata()));

            assertThat(provisioner.listProvisioned().databases()).isEmpty();
            assertThat(provisioner.listProvisioned().roles()).isEmpty();
            assertThat(job.isValid(5)).isFalse();
        }
    }

    @Test
    void names_are_valid_identifiers_made_from_the_instance_id() {
        PostgresDatabaseProvisioner defaults = new PostgresDatabaseProvisioner(new PostgresDatabaseSettings(
                settings.adminJdbcUrl(), settings.adminUser(), settings.adminPassword(), "db", 5432));

        assertThat(defaults.objectName("abc_123")).isEqualTo("sluice_abc_123");
        assertThat(defaults.objectName("Job-7/db\"; DROP")).matches("sluice_job_7_db___drop_[0-9a-f]{10}");
        assertThat(defaults.objectName("a-b")).isNotEqualTo(defaults.objectName("a.b"));
        assertThat(defaults.objectName("x".repeat(200))).hasSize(63).startsWith("sluice_xxx");
        assertThat(defaults.objectName("x".repeat(200))).isNotEqualTo(defaults.objectName("x".repeat(199)));
    }

    @Test
    void a_failure_names_the_step_and_the_server_and_never_a_password() throws Exception {
        String weakAdmin = "t" + UUID.randomUUID().toString().substring(0, 8) + "_weak_admin";
        String weakPassword = Base64.getUrlEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
        adminRolesToDrop.add(weakAdmin);
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE \"" + weakAdmin + "\" LOGIN");
            admin.unwrap(PGConnection.class).alterUserPassword(weakAdmin, weakPassword.toCharArray(), "scram-sha-256");
        }
        PostgresDatabaseProvisioner weak = new PostgresDatabaseProvisioner(new PostgresDatabaseSettings(
                settings.adminJdbcUrl(), weakAdmin, weakPassword, settings.jobHost(), settings.jobPort(), prefix));

        assertThatThrownBy(() -> weak.provision(request("denied")))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessageStartingWith("cannot create role " + provisioner.objectName("denied") + " on "
                        + settings.adminServer() + ": permission denied")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(weakPassword));
        PostgresDatabaseProvisioner unreachable = new PostgresDatabaseProvisioner(new PostgresDatabaseSettings(
                "jdbc:postgresql://127.0.0.1:1/postgres", weakAdmin, weakPassword, "db", 5432, prefix));
        assertThatThrownBy(() -> unreachable.release(new ReleaseRequest("x", "postgres-database", Map.of())))
                .isInstanceOf(ProvisionFailedException.class)
                .hasMessageStartingWith("cannot connect as " + weakAdmin + " on 127.0.0.1:1: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(weakPassword));
    }

    private static ProvisionRequest request(String instanceId) {
        return new ProvisionRequest(instanceId, "postgres-database", "job-" + instanceId, "alice", Map.of(), 0,
                Instant.parse("2030-01-01T00:00:00Z"));
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(settings.adminJdbcUrl(), settings.adminUser(), settings.adminPassword());
    }

    private Connection connectAsJob(ProvisionedResource resource) throws SQLException {
        return connect(resource.metadata().get("user"), resource.secrets().get("password"),
                resource.metadata().get("database"));
    }

    private Connection connect(String user, String password, String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + settings.jobHost() + ":" + settings.jobPort() + "/" + database, user, password);
    }

    /**
     * Whether the role's stored SCRAM verifier is that of this password: the shared test server may trust every
     * local connection and never ask for a password, so a successful login alone would prove nothing.
     */
    private boolean passwordMatches(String role, String password) throws SQLException {
        try (Connection admin = admin();
             PreparedStatement query = admin.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            query.setString(1, role);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("role %s exists", role).isTrue();
                String stored = rows.getString(1);
                // SCRAM-SHA-256$<iterations>:<salt>$<stored key>:<server key>
                String[] parts = stored.split("[$:]");
                int iterations = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                return PasswordUtil.encodeScramSha256(password.toCharArray(), iterations, salt).equals(stored);
            }
        }
    }
}
