package io.sluice.cli.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.sluice.cli.CliFailure;
import io.sluice.cli.Console;
import io.sluice.infra.LocalKafka;
import io.sluice.infra.LocalPostgres;
import io.sluice.infra.SluicePrincipal;
import io.sluice.schemas.TopicNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker (inside this JVM; secured unless asked otherwise: SASL SCRAM, one principal per service, ACLs),
 * the PostgreSQL server (a child process, asking for its random password) that the services share, and a second one
 * for jobs' scratch databases: the only server a job's network may reach.
 */
final class DevInfrastructure implements AutoCloseable {

    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final LocalPostgres scratch;
    private final DevCredentials credentials;
    private final Path userClientConfig;
    private final Path adminClientConfig;
    private final String hostForJobs;
    private final Console console;

    private DevInfrastructure(LocalKafka kafka, LocalPostgres postgres, LocalPostgres scratch,
                              DevCredentials credentials, Path userClientConfig, Path adminClientConfig,
                              String hostForJobs, Console console) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.scratch = scratch;
        this.credentials = credentials;
        this.userClientConfig = userClientConfig;
        this.adminClientConfig = adminClientConfig;
        this.hostForJobs = hostForJobs;
        this.console = console;
    }

    /** Fails before anything starts if the broker's or the database's port is taken. */
    static void requirePortsFree(DevSettings settings) {
        FreePorts.requireFree(settings.kafkaPort(), "the Kafka broker", "--kafka-port");
        FreePorts.requireFree(settings.postgresPort(), "PostgreSQL", "--postgres-port");
        FreePorts.requireFree(settings.scratchPostgresPort(), "the scratch PostgreSQL", "--scratch-postgres-port");
    }

    /** Starts the servers side by side and creates the services' database if it is missing. */
    static DevInfrastructure start(DevSettings settings, DataDirectory data, DevCredentials credentials,
                                   Console console) {
        // Initialise logging here, before two threads log at once and SLF4J warns it had to queue their messages.
        LoggerFactory.getILoggerFactory();
        long startedAt = System.nanoTime();
        console.line(DevSystem.LABEL, "starting Kafka on port " + settings.kafkaPort() + ", PostgreSQL on port "
                + settings.postgresPort() + " and the jobs' scratch PostgreSQL on port " + settings.scratchPostgresPort()
                + ", data in " + data.root());
        String hostForJobs = hostForJobs(console);
        // A thread each: the common pool has a single thread on two cores, which would start them one after the other.
        Executor ownThread = task -> Thread.ofPlatform().name("start-infrastructure").start(task);
        CompletableFuture<LocalKafka> kafka = CompletableFuture.supplyAsync(() -> {
            LocalKafka.Builder broker = LocalKafka.builder().port(settings.kafkaPort()).dataDirectory(data.kafka())
                    .stopOnJvmExit();
            return (settings.secureKafka() ? broker.secured(credentials.kafkaAdminPassword()) : broker).start();
        }, ownThread);
        CompletableFuture<LocalPostgres> postgres = CompletableFuture.supplyAsync(() -> LocalPostgres.builder()
                .port(settings.postgresPort()).dataDirectory(data.postgres()).password(credentials.postgresPassword())
                .start(), ownThread);
        CompletableFuture<LocalPostgres> scratch = CompletableFuture.supplyAsync(() -> LocalPostgres.builder()
                .port(settings.scratchPostgresPort()).dataDirectory(data.scratchPostgres())
                .password(credentials.scratchPostgresPassword()).listenAddresses(listenAddresses(hostForJobs)).start(),
                ownThread);
        Path userClientConfig = null;
        Path adminClientConfig = null;
        LocalKafka startedKafka = null;
        LocalPostgres startedPostgres = null;
        LocalPostgres startedScratch = null;
        try {
            startedKafka = awaitStart(kafka, "the Kafka broker on port " + settings.kafkaPort());
            startedPostgres = awaitStart(postgres, "PostgreSQL on port " + settings.postgresPort());
            startedPostgres.createDatabase(DevSettings.DATABASE);
            startedScratch = awaitStart(scratch, "the scratch PostgreSQL on port " + settings.scratchPostgresPort());
            if (settings.secureKafka()) {
                // As the admin: every topic, each principal's password and ACLs (again on a restart: idempotent).
                SluicePrincipal.prepare(startedKafka, new TopicNaming(""), credentials.kafkaPasswords());
                userClientConfig = credentials.writeUserClientConfig(data.root(), startedKafka.bootstrapServers());
                adminClientConfig = credentials.writeAdminClientConfig(data.root(),
                        startedKafka.adminClientProperties());
            }
        } catch (RuntimeException failure) {
            closeQuietly(startedKafka == null ? startedOrNull(kafka) : startedKafka, failure);
            closeQuietly(startedPostgres == null ? startedOrNull(postgres) : startedPostgres, failure);
            closeQuietly(startedScratch == null ? startedOrNull(scratch) : startedScratch, failure);
            throw failure;
        }
        console.line(DevSystem.LABEL, "Kafka and both PostgreSQL servers ready in " + Elapsed.since(startedAt));
        return new DevInfrastructure(startedKafka, startedPostgres, startedScratch, credentials, userClientConfig,
                adminClientConfig, hostForJobs, console);
    }

    /**
     * Where jobs reach the scratch server. Isolated jobs reach the host only at its address for jobs, which the node
     * runner puts on the loopback as it starts: put there first, so that the scratch server, started before the
     * runner, can listen on it. Unisolated jobs share the host's network and reach it there too. Only root may put
     * it there, and only root runs jobs isolated: otherwise, or if {@code ip} fails, the scratch server listens on
     * localhost alone, which unisolated jobs reach; sluice dev does not stop for it.
     */
    private static String hostForJobs(Console console) {
        if (!runsAsRoot()) {
            return "localhost";
        }
        try {
            Process ip = new ProcessBuilder("ip", "address", "replace", DevSettings.HOST_FOR_JOBS + "/32", "dev", "lo")
                    .redirectErrorStream(true).start();
            String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ip.waitFor() == 0) {
                return DevSettings.HOST_FOR_JOBS;
            }
            console.line(DevSystem.LABEL, "cannot put the address for jobs " + DevSettings.HOST_FOR_JOBS + " on the loopback ("
                    + output.strip() + "): the scratch PostgreSQL listens on localhost only, which isolated jobs "
                    + "cannot reach");
        } catch (IOException e) {
            console.line(DevSystem.LABEL, "cannot run ip (iproute2) to put the address for jobs on the loopback ("
                    + e.getMessage() + "): the scratch PostgreSQL listens on localhost only, which isolated jobs "
                    + "cannot reach");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while preparing the address for jobs");
        }
        return "localhost";
    }

    private static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException unknown) {
            return false;
        }
    }

    /** Where a job reaches the scratch server: the host's address for jobs, or localhost (see above). */
    String hostForJobs() {
        return hostForJobs;
    }

    boolean kafkaSecured() {
        return kafka.secured();
    }

    /** The user principal's client properties file, for the CLI's --kafka-config; null when Kafka is not secured. */
    Path userClientConfig() {
        return userClientConfig;
    }

    /** The broker admin's client properties file; null when Kafka is not secured. */
    Path adminClientConfig() {
        return adminClientConfig;
    }

    private static String listenAddresses(String hostForJobs) {
        return hostForJobs.equals("localhost") ? "localhost" : "localhost," + hostForJobs;
    }

    DevCredentials credentials() {
        return credentials;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String jdbcUrl() {
        return postgres.jdbcUrl(DevSettings.DATABASE);
    }

    String username() {
        return postgres.username();
    }

    String password() {
        return postgres.password();
    }

    /** The scratch server's superuser, as the resource well's scratch-db provisioner logs in. */
    String scratchJdbcUrl() {
        return scratch.jdbcUrl("postgres");
    }

    String scratchUsername() {
        return scratch.username();
    }

    String scratchPassword() {
        return scratch.password();
    }

    /** Stops the PostgreSQL servers, then Kafka; a failure to stop one is reported and does not keep the other running. */
    @Override
    public void close() {
        stop("PostgreSQL", postgres);
        stop("the scratch PostgreSQL", scratch);
        stop("Kafka broker", kafka);
    }

    private void stop(String name, AutoCloseable server) {
        long startedAt = System.nanoTime();
        try {
            server.close();
            console.line(DevSystem.LABEL, name + " stopped in " + Elapsed.since(startedAt));
        } catch (Exception e) {
            console.alert(DevSystem.LABEL, name + " did not stop cleanly: " + e);
        }
    }

    private static <T> T awaitStart(CompletableFuture<T> server, String name) {
        try {
            return server.join();
        } catch (CompletionException e) {
            throw new CliFailure(name + " did not start", e.getCause());
        }
    }

    /** The server if it started after all, so that a failure of the other one does not leave it running. */
    private static AutoCloseable startedOrNull(CompletableFuture<? extends AutoCloseable> server) {
        try {
            return server.join();
        } catch (CompletionException failedToo) {
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable server, Exception cause) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
