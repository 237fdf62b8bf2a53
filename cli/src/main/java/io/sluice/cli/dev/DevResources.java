package io.sluice.cli.dev;

import io.sluice.cli.CliFailure;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What {@code sluice dev} gives the resource well and the node runner: the key that seals resources' secrets (made
 * once per data directory, so sealed values survive a restart) and the well's resource types, in a properties file
 * the user may edit (written only when missing): a lab slot, a scratch PostgreSQL database on the dev server, a token.
 */
final class DevResources {

    static final String KEY_ID = "dev";
    private static final String ADMIN_URL = ".settings.admin-jdbc-url";

    private final String secretKey;
    private final Path wellTypes;

    private DevResources(String secretKey, Path wellTypes) {
        this.secretKey = secretKey;
        this.wellTypes = wellTypes;
    }

    static DevResources prepare(DataDirectory data, DevSettings settings, DevInfrastructure infrastructure) {
        try {
            Path keyFile = data.root().resolve("secret-key");
            if (!Files.exists(keyFile)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                writePrivate(keyFile, Base64.getEncoder().encodeToString(key));
            }
            Path types = data.root().resolve("resource-well.properties");
            if (!Files.exists(types)) {
                writeTypes(types, settings, infrastructure);
            } else {
                updateScratchServer(types, settings, infrastructure);
            }
            return new DevResources(Files.readString(keyFile).strip(), types);
        } catch (IOException e) {
            throw new CliFailure("cannot prepare the resource well's settings in " + data.root() + ": "
                    + e.getMessage());
        }
    }

    /** The environment that hands the secret key to a service that seals or opens secrets. */
    Map<String, String> secretKeyEnvironment() {
        return Map.of("SLUICE_SECRETS_KEYS_" + KEY_ID.toUpperCase(), secretKey, "SLUICE_SECRETS_CURRENT_KEY", KEY_ID);
    }

    /** Where the well's resource types are configured (Micronaut reads it through MICRONAUT_CONFIG_FILES). */
    Path wellTypes() {
        return wellTypes;
    }

    private static void writeTypes(Path file, DevSettings settings, DevInfrastructure infrastructure)
            throws IOException {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("sluice.well.types.lab-slot.provisioner", "semaphore");
        types.put("sluice.well.types.lab-slot.capacity", "2");
        types.put("sluice.well.types.scratch-db.provisioner", "postgres-database");
        types.put("sluice.well.types.scratch-db.capacity", "4");
        types.put("sluice.well.types.scratch-db.max-lifetime", "2h");
        types.put("sluice.well.types.scratch-db.settings.admin-jdbc-url", infrastructure.scratchJdbcUrl());
        types.put("sluice.well.types.scratch-db.settings.admin-user", infrastructure.scratchUsername());
        types.put("sluice.well.types.scratch-db.settings.admin-password", infrastructure.scratchPassword());
        types.put("sluice.well.types.scratch-db.settings.job-host", infrastructure.hostForJobs());
        types.put("sluice.well.types.scratch-db.settings.job-port", String.valueOf(settings.scratchPostgresPort()));
        types.put("sluice.well.types.api-token.provisioner", "token");
        types.put("sluice.well.types.api-token.capacity", "10");
        types.put("sluice.well.types.api-token.max-lifetime", "1h");
        types.put("sluice.well.types.api-token.settings.issuer", "http://localhost:"
                + settings.portOf(SluiceService.RESOURCE_WELL));
        Properties properties = new Properties();
        properties.putAll(types);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "The resource types of sluice dev's resource well: edit and restart sluice dev");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Keeps a type the user left on sluice dev's servers working: one on the scratch server gets its current
     * password and where jobs reach it now (unless the user set a host of their own); one on the services' own database (a data directory from before the scratch server) moves to the
     * scratch server, which is the only one a job can reach.
     */
    private static void updateScratchServer(Path file, DevSettings settings, DevInfrastructure infrastructure)
            throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Properties before = (Properties) properties.clone();
        for (String name : properties.stringPropertyNames()) {
            if (!name.endsWith(ADMIN_URL)) {
                continue;
            }
            String type = name.substring(0, name.length() - ADMIN_URL.length());
            String url = properties.getProperty(name);
            if (url.equals(infrastructure.jdbcUrl())) {
                properties.setProperty(name, infrastructure.scratchJdbcUrl());
                properties.setProperty(type + ".settings.admin-user", infrastructure.scratchUsername());
                properties.setProperty(type + ".settings.job-host", infrastructure.hostForJobs());
                properties.setProperty(type + ".settings.job-port", String.valueOf(settings.scratchPostgresPort()));
            }
            if (properties.getProperty(name).equals(infrastructure.scratchJdbcUrl())) {
                properties.setProperty(type + ".settings.admin-password", infrastructure.scratchPassword());
                String jobHost = properties.getProperty(type + ".settings.job-host");
                if ("localhost".equals(jobHost) || DevSettings.HOST_FOR_JOBS.equals(jobHost)) {
                    // One sluice dev chose: where jobs reach the scratch server may differ from the last run's.
                    properties.setProperty(type + ".settings.job-host", infrastructure.hostForJobs());
                }
            }
        }
        if (!properties.equals(before)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "The resource types of sluice dev's resource well: edit and restart sluice dev");
            }
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
