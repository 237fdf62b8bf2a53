package io.sluice.cli.dev;

import io.sluice.cli.CliFailure;
import io.sluice.infra.LocalKafka;
import io.sluice.infra.SluicePrincipal;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The passwords of one {@code sluice dev} data directory, made once at random and kept in its {@code credentials/}
 * (0700, each file 0600), never printed: PostgreSQL's superuser, the broker's admin and each Kafka principal; and the
 * client properties files that log the user principal ({@code user.kafka.properties}, 0600) and the broker's admin
 * ({@code admin.kafka.properties}, 0600) in, for the CLI's {@code --kafka-config}.
 */
final class DevCredentials {

    static final String USER_CLIENT_CONFIG = "user.kafka.properties";
    static final String ADMIN_CLIENT_CONFIG = "admin.kafka.properties";

    private final Path directory;
    private final String postgresPassword;
    private final String scratchPostgresPassword;
    private final String kafkaAdminPassword;
    private final Map<SluicePrincipal, String> kafkaPasswords;

    private DevCredentials(Path directory, String postgresPassword, String scratchPostgresPassword,
                           String kafkaAdminPassword, Map<SluicePrincipal, String> kafkaPasswords) {
        this.directory = directory;
        this.postgresPassword = postgresPassword;
        this.scratchPostgresPassword = scratchPostgresPassword;
        this.kafkaAdminPassword = kafkaAdminPassword;
        this.kafkaPasswords = kafkaPasswords;
    }

    static DevCredentials prepare(DataDirectory data) {
        Path directory = data.root().resolve("credentials");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Map<SluicePrincipal, String> kafka = new EnumMap<>(SluicePrincipal.class);
            for (SluicePrincipal principal : SluicePrincipal.values()) {
                kafka.put(principal, passwordIn(directory.resolve("kafka-" + principal.userName())));
            }
            return new DevCredentials(directory, passwordIn(directory.resolve("postgres")),
                    passwordIn(directory.resolve("scratch-postgres")), passwordIn(directory.resolve("kafka-admin")),
                    kafka);
        } catch (IOException e) {
            throw new CliFailure("cannot prepare the passwords in " + directory + ": " + e.getMessage());
        }
    }

    String postgresPassword() {
        return postgresPassword;
    }

    String scratchPostgresPassword() {
        return scratchPostgresPassword;
    }

    String kafkaAdminPassword() {
        return kafkaAdminPassword;
    }

    Map<SluicePrincipal, String> kafkaPasswords() {
        return Map.copyOf(kafkaPasswords);
    }

    /** Where the passwords are kept. */
    Path directory() {
        return directory;
    }

    /** The environment that logs a service in to the secured broker as its own principal. */
    Map<String, String> kafkaEnvironment(SluiceService service) {
        SluicePrincipal principal = SluicePrincipal.valueOf(service.name());
        Map<String, String> environment = new LinkedHashMap<>();
        LocalKafka.scramClientProperties(principal.userName(), kafkaPasswords.get(principal)).forEach((name, value) ->
                environment.put("SLUICE_KAFKA_PROPERTIES_" + name.toUpperCase().replace('.', '_'), value));
        // Only the admin creates topics on the secured broker; sluice dev did before starting the services.
        environment.put("SLUICE_KAFKA_CREATE_TOPICS", "false");
        return environment;
    }

    /** Writes (anew, the address may have changed) the user principal's client properties file; returns its path. */
    Path writeUserClientConfig(Path dataRoot, String bootstrapServers) {
        Path file = dataRoot.resolve(USER_CLIENT_CONFIG);
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.putAll(LocalKafka.scramClientProperties(SluicePrincipal.USER.userName(),
                kafkaPasswords.get(SluicePrincipal.USER)));
        return writeClientConfig(file, properties, "Kafka client properties of sluice dev's user principal: "
                + "./sluice submit --kafka-config " + file + " ... (or export SLUICE_KAFKA_CONFIG=" + file + ")");
    }

    /**
     * Writes (anew) the broker admin's client properties file, for what only an operator may do (the node commands
     * of {@code sluice admin drain}); returns its path.
     */
    Path writeAdminClientConfig(Path dataRoot, Map<String, Object> adminClientProperties) {
        Path file = dataRoot.resolve(ADMIN_CLIENT_CONFIG);
        Properties properties = new Properties();
        adminClientProperties.forEach((name, value) -> properties.put(name, String.valueOf(value)));
        return writeClientConfig(file, properties, "Kafka client properties of sluice dev's broker admin, for "
                + "operators' commands: ./sluice admin drain NODE --kafka-config " + file);
    }

    private static Path writeClientConfig(Path file, Properties properties, String comment) {
        try {
            Path written = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
                properties.store(out, comment);
            }
            return Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The password kept in {@code file}, made (32 random bytes, URL-safe Base64) the first time. */
    private static String passwordIn(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).strip();
    }
}
