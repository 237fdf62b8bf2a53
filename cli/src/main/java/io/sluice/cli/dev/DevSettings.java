package io.sluice.cli.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What one {@code sluice dev} run starts, and where: every choice the command line made, checked and resolved. */
record DevSettings(
        Path repository,
        Path dataDirectory,
        boolean fresh,
        int kafkaPort,
        int postgresPort,
        int scratchPostgresPort,
        int basePort,
        List<SluiceService> services,
        Duration startupTimeout,
        Duration stopGrace,
        boolean secureKafka) {

    /** The one database the services share, each in its own schema. */
    static final String DATABASE = "sluice";

    DevSettings {
        services = List.copyOf(services);
    }

    int portOf(SluiceService service) {
        return service.port(basePort);
    }

    /** The host's address for jobs with a network of their own (the node runtime contract in node-runner/README.md). */
    static final String HOST_FOR_JOBS = "169.254.203.1";

    /** The JVM running this cli; the services run on the same one. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
