package io.sluice.cli.dev;

import io.sluice.cli.CliFailure;
import io.sluice.schemas.signing.OwnerKey;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The signing key of the user who runs {@code sluice dev}: made once per data directory, registered with the dev
 * job-service (through a properties file it reads) for the user's owner name, which also holds privilege 'admin'.
 */
final class DevOwnerKey {

    static final String FILE_NAME = "owner-key.pem";

    private final Path keyFile;
    private final Path jobServiceSettings;
    private final String owner;

    private DevOwnerKey(Path keyFile, Path jobServiceSettings, String owner) {
        this.keyFile = keyFile;
        this.jobServiceSettings = jobServiceSettings;
        this.owner = owner;
    }

    static DevOwnerKey prepare(DataDirectory data, String owner) {
        Path keyFile = data.root().resolve(FILE_NAME);
        Path settings = data.root().resolve("job-service.properties");
        try {
            if (!Files.exists(keyFile)) {
                OwnerKey.generate().writeTo(keyFile);
            }
            OwnerKey key = OwnerKey.read(keyFile);
            Properties properties = new Properties();
            properties.setProperty("sluice.jobs.owners." + owner + ".public-keys", key.publicKeyText());
            properties.setProperty("sluice.jobs.owners." + owner + ".privileges", "admin");
            try (Writer writer = Files.newBufferedWriter(settings, StandardCharsets.UTF_8)) {
                properties.store(writer, "written by sluice dev at every start: the key of " + owner + ", in "
                        + keyFile.getFileName());
            }
            return new DevOwnerKey(keyFile, settings, owner);
        } catch (IOException e) {
            throw new CliFailure("cannot prepare the owner key in " + data.root() + ": " + e.getMessage());
        }
    }

    Path keyFile() {
        return keyFile;
    }

    /** What job-service reads (through MICRONAUT_CONFIG_FILES) to know the user's key. */
    Path jobServiceSettings() {
        return jobServiceSettings;
    }

    String owner() {
        return owner;
    }
}
