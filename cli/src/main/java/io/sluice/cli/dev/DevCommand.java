package io.sluice.cli.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.sluice.cli.Console;
import io.sluice.cli.RepositoryLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice dev}: reads the options, checks them, and hands them to {@link DevSystem}. */
@Command(
        name = "dev",
        description = {
            "Runs the whole system on this machine, with an embedded broker and database.",
            "",
            "Starts a Kafka broker and PostgreSQL, then the four services as child JVMs, each one's output shown "
                    + "under its name; prints where everything listens once every /health answers UP.",
            "The node runner probes whether it can isolate jobs (runc, tini, root, cgroups); one line says what it "
                    + "found. A service that fails once all are UP is restarted, after 1 s, 2 s, 4 s ... at most 30 s.",
            "Ctrl-C or SIGTERM stops the services, then PostgreSQL and Kafka; a second Ctrl-C kills the services."
        },
        sortOptions = false)
public final class DevCommand implements Callable<Integer> {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean helpRequested;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".sluice/dev",
            description = "Where the broker and the database keep their data across runs (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(names = "--fresh", description = "Delete the data directory first: no topics, an empty database.")
    private boolean fresh;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "The broker's client port (default: ${DEFAULT-VALUE}).")
    private int kafkaPort;

    @Option(names = "--postgres-port", paramLabel = "PORT", defaultValue = "5433",
            description = "PostgreSQL's port (default: ${DEFAULT-VALUE}).")
    private int postgresPort;

    @Option(names = "--scratch-postgres-port", paramLabel = "PORT", defaultValue = "5434",
            description = "The PostgreSQL server of jobs' scratch databases, the only one a job can reach "
                    + "(default: ${DEFAULT-VALUE}).")
    private int scratchPostgresPort;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "8081",
            description = "job-service's HTTP port; resource-well, worker-factory and node-runner take the next three "
                    + "(default: ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--services", paramLabel = "NAMES", split = ",", converter = ServiceNameConverter.class,
            defaultValue = "job-service,resource-well,worker-factory,node-runner",
            description = "Which services to run, comma-separated (default: ${DEFAULT-VALUE}).")
    private List<SluiceService> services;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "How long every service may take to report UP on /health (default: ${DEFAULT-VALUE}).")
    private int startupTimeoutSeconds;

    @Option(names = "--insecure-kafka",
            description = "Run the broker without SASL and ACLs: any client may read and write every topic.")
    private boolean insecureKafka;

    @Option(names = "--repo-dir", paramLabel = "DIR",
            description = "The Sluice checkout holding the built service jars (default: the one this cli was built in).")
    private Path repository;

    @Override
    public Integer call() throws InterruptedException {
        DevSettings settings = new DevSettings(
                (repository == null ? RepositoryLocation.ofThisCli() : repository).toAbsolutePath().normalize(),
                dataDirectory.toAbsolutePath().normalize(),
                fresh,
                kafkaPort,
                postgresPort,
                scratchPostgresPort,
                basePort,
                services.stream().distinct().toList(),
                Duration.ofSeconds(startupTimeoutSeconds),
                STOP_GRACE,
                !insecureKafka);
        checkPorts(settings);
        if (startupTimeoutSeconds < 1) {
            throw usageError("--startup-timeout must be at least 1 second, not " + startupTimeoutSeconds);
        }
        return new DevSystem(settings, Console.standardOutput(), spec.commandLine()).run();
    }

    /** Every port must be valid and used once: two servers on one port would fail later and less clearly. */
    private void checkPorts(DevSettings settings) {
        Map<Integer, String> owners = new HashMap<>();
        claim(owners, settings.kafkaPort(), "--kafka-port");
        claim(owners, settings.postgresPort(), "--postgres-port");
        claim(owners, settings.scratchPostgresPort(), "--scratch-postgres-port");
        for (SluiceService service : settings.services()) {
            claim(owners, settings.portOf(service), "--base-port (" + service.moduleName() + ")");
        }
    }

    private void claim(Map<Integer, String> owners, int port, String option) {
        if (port < 1 || port > 65535) {
            throw usageError(option + " gives port " + port + ", outside 1..65535");
        }
        String previous = owners.putIfAbsent(port, option);
        if (previous != null) {
            throw usageError(option + " and " + previous + " both use port " + port);
        }
    }

    private ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
