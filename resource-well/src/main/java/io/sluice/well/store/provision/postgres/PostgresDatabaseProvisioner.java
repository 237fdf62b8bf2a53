package io.sluice.well.store.provision.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.Provisioner;
import io.sluice.well.store.provision.ReleaseRequest;

/**
 * The {@code postgres-database} provisioner: gives each instance a fresh login role with a random password and a
 * database owned by it, which other roles may not connect to, on a configured PostgreSQL server, and drops both on
 * release.
 *
 * <p>The database and the role share one name made from the instance id ({@link #objectName(String)}), so a retry
 * after a crash finds what the first attempt made. The admin user must be a superuser: a lesser role would also need
 * membership in every role it creates to own, drop and disconnect their databases.
 */
public final class PostgresDatabaseProvisioner implements Provisioner {

    /** PostgreSQL truncates longer identifiers, which would make two instances' names collide silently. */
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    private static final int HASH_LENGTH = 10;
    private static final int PASSWORD_BYTES = 32;
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final String UNDEFINED_DATABASE = "3D000";
    private static final String UNDEFINED_ROLE = "42704";

    private final PostgresDatabaseSettings settings;
    private final SecureRandom random = new SecureRandom();

    public PostgresDatabaseProvisioner(PostgresDatabaseSettings settings) {
        this.settings = settings;
    }

    /**
     * The name of the instance's database and of its role: the prefix and the instance id in lower case, its
     * characters other than a-z, 0-9 and _ as _; when that changed the id or made it too long, a hash of the id
     * follows, so that two ids never share a name.
     */
    public String objectName(String instanceId) {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("an instance id must not be blank");
        }
        String sanitised = instanceId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String name = settings.namePrefix() + sanitised;
        if (sanitised.equals(instanceId) && name.length() <= MAX_IDENTIFIER_LENGTH) {
            return name;
        }
        int room = MAX_IDENTIFIER_LENGTH - settings.namePrefix().length() - HASH_LENGTH - 1;
        return settings.namePrefix() + sanitised.substring(0, Math.min(room, sanitised.length())) + "_"
                + hash(instanceId);
    }

    @Override
    public ProvisionedResource provision(ProvisionRequest request) throws ProvisionFailedException {
        String name = objectName(request.instanceId());
        String password = newPassword();
        try (Connection admin = connectAsAdmin()) {
            createRoleUnlessPresent(admin, name);
            execute(admin, "set up role " + name, "ALTER ROLE " + quote(name)
                    + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            createDatabaseUnlessPresent(admin, name);
            // A database left half-released by a crash may still refuse connections or belong to someone else.
            execute(admin, "set up database " + name, "ALTER DATABASE " + quote(name) + " OWNER TO " + quote(name));
            execute(admin, "set up database " + name,
                    "ALTER DATABASE " + quote(name) + " WITH ALLOW_CONNECTIONS true");
            // Every role may connect to a new database by default; only its owner (and superusers) may now.
            execute(admin, "restrict database " + name, "REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
            setPassword(admin, name, password);
        } catch (SQLException e) {
            throw failure("cannot close the admin connection", e, password);
        }
        return new ProvisionedResource(
                Map.of("host", settings.jobHost(), "port", Integer.toString(settings.jobPort()), "database", name,
                        "user", name),
                Map.of("password", password));
    }

    @Override
    public void release(ReleaseRequest request) throws ProvisionFailedException {
        removeNamed(objectName(request.instanceId()));
    }

    /** Removes the database and role called {@code name} (one of {@link #listProvisioned()}'s), whatever is left of them. */
    public void removeNamed(String name) throws ProvisionFailedException {
        try (Connection admin = connectAsAdmin()) {
            // No new session may start while the old ones are ended, or the drops below would race with it.
            if (exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
                executeIgnoring(admin, "lock out role " + name, "ALTER ROLE " + quote(name) + " WITH NOLOGIN",
                        UNDEFINED_ROLE);
            }
            if (exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                executeIgnoring(admin, "lock out database " + name,
                        "ALTER DATABASE " + quote(name) + " WITH ALLOW_CONNECTIONS false", UNDEFINED_DATABASE);
            }
            terminateSessions(admin, name);
            boolean force = admin.getMetaData().getDatabaseMajorVersion() >= 13;
            execute(admin, "drop database " + name,
                    "DROP DATABASE IF EXISTS " + quote(name) + (force ? " WITH (FORCE)" : ""));
            execute(admin, "drop role " + name, "DROP ROLE IF EXISTS " + quote(name));
        } catch (SQLException e) {
            throw failure("cannot release " + name, e, null);
        }
    }

    /** The databases and roles on the server that carry this provisioner's name prefix. */
    public PostgresProvisionedObjects listProvisioned() throws ProvisionFailedException {
        try (Connection admin = connectAsAdmin()) {
            return new PostgresProvisionedObjects(
                    namesWithPrefix(admin, "SELECT datname FROM pg_database WHERE left(datname, length(?)) = ?"),
                    namesWithPrefix(admin, "SELECT rolname FROM pg_roles WHERE left(rolname, length(?)) = ?"));
        } catch (SQLException e) {
            throw failure("cannot list the databases and roles named " + settings.namePrefix() + "*", e, null);
        }
    }

    private Connection connectAsAdmin() throws ProvisionFailedException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.adminUser());
        properties.setProperty("password", settings.adminPassword());
        properties.setProperty("ApplicationName", "sluice-resource-well");
        properties.setProperty("connectTimeout", "10");
        try {
            Connection connection = DriverManager.getConnection(settings.adminJdbcUrl(), properties);
            // CREATE DATABASE and DROP DATABASE refuse to run inside a transaction.
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw failure("cannot connect as " + settings.adminUser(), e, null);
        }
    }

    private void createRoleUnlessPresent(Connection admin, String name) throws ProvisionFailedException {
        if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
            // Another well may create it between the check and here: the outcome wanted all the same.
            executeIgnoring(admin, "create role " + name, "CREATE ROLE " + quote(name) + " NOLOGIN",
                    DUPLICATE_OBJECT);
        }
    }

    private void createDatabaseUnlessPresent(Connection admin, String name) throws ProvisionFailedException {
        if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
            executeIgnoring(admin, "create database " + name,
                    "CREATE DATABASE " + quote(name) + " OWNER " + quote(name), DUPLICATE_DATABASE);
        }
    }

    /**
     * Sets the password as a SCRAM verifier the driver computes, so the clear text never reaches the server, where
     * a statement log could keep it.
     */
    private void setPassword(Connection admin, String name, String password) throws ProvisionFailedException {
        char[] clear = password.toCharArray();
        try {
            admin.unwrap(PGConnection.class).alterUserPassword(name, clear, "scram-sha-256");
        } catch (SQLException e) {
            throw failure("cannot set the password of role " + name, e, password);
        } finally {
            Arrays.fill(clear, '\0');
        }
    }

    private void terminateSessions(Connection admin, String name) throws ProvisionFailedException {
        String sql = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE (datname = ? OR usename = ?) AND pid <> pg_backend_pid()";
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, name);
            statement.setString(2, name);
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw failure("cannot terminate the sessions of " + name, e, null);
        }
    }

    private boolean exists(Connection admin, String sql, String name) throws ProvisionFailedException {
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw failure("cannot look up " + name, e, null);
        }
    }

    private Set<String> namesWithPrefix(Connection admin, String sql) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement query = admin.prepareStatement(sql)) {
            query.setString(1, settings.namePrefix());
            query.setString(2, settings.namePrefix());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    private void execute(Connection admin, String action, String sql) throws ProvisionFailedException {
        executeIgnoring(admin, action, sql, null);
    }

    /** Runs one statement; an error of SQL state {@code harmless} means the work was done already. */
    private void executeIgnoring(Connection admin, String action, String sql, String harmless)
            throws ProvisionFailedException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            if (harmless == null || !harmless.equals(e.getSQLState())) {
                throw failure("cannot " + action, e, null);
            }
        }
    }

    /**
     * The failure of one step, saying what and where: the server's own message when it gave one (without the
     * driver's additions), never a password.
     */
    private ProvisionFailedException failure(String action, SQLException e, String password) {
        String reason = e.getMessage();
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            reason = server.getMessage() + (server.getDetail() == null ? "" : " (" + server.getDetail() + ")");
        }
        String message = action + " on " + settings.adminServer() + ": " + (reason == null ? e.toString() : reason);
        // The password is only ever sent to the server as a SCRAM verifier, so no server message can hold it;
        // hiding it here guards against a driver message that might.
        return new ProvisionFailedException(hide(hide(message, password), settings.adminPassword()), e);
    }

    private static String hide(String message, String secret) {
        return secret == null || secret.isEmpty() ? message : message.replace(secret, "(hidden)");
    }

    private String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String instanceId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(instanceId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
