package io.sluice.cli.jobs;

import io.sluice.cli.CliFailure;
import io.sluice.cli.RepositoryLocation;
import io.sluice.schemas.signing.OwnerKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The key that signs the requests of the commands that act for an owner (submit, cancel): job-service accepts a
 * request only if a key registered for the owner it names signed it.
 */
public final class OwnerKeyOptions {

    static final String KEY_ENV = "SLUICE_OWNER_KEY";
    /** Where {@code sluice keygen} writes a key by default. */
    public static final Path USER_KEY = Path.of(System.getProperty("user.home"), ".config", "sluice", "owner-key.pem");
    /** The key {@code sluice dev} makes for the user who runs it, registered with its job-service. */
    static final String DEV_KEY = ".sluice/dev/owner-key.pem";

    @Option(names = "--owner-key", paramLabel = "FILE",
            description = "The owner's signing key (default: $" + KEY_ENV + ", else the key of 'sluice dev' in "
                    + DEV_KEY + " of the current directory or of this checkout, else ~/.config/sluice/owner-key.pem).")
    private Path ownerKey;

    /** The first key found where the option says; fails naming every place looked at when there is none. */
    OwnerKey load() {
        List<Path> candidates = new ArrayList<>();
        if (ownerKey != null) {
            candidates.add(ownerKey);
        } else {
            String environment = System.getenv(KEY_ENV);
            if (environment != null && !environment.isBlank()) {
                candidates.add(Path.of(environment));
            } else {
                candidates.add(Path.of(DEV_KEY).toAbsolutePath());
                candidates.add(RepositoryLocation.ofThisCli().resolve(DEV_KEY));
                candidates.add(USER_KEY);
            }
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                try {
                    return OwnerKey.read(candidate);
                } catch (IOException e) {
                    throw new CliFailure("cannot read the owner key " + candidate + ": " + e.getMessage(), null,
                            JobExitCodes.REJECTED_OR_USAGE);
                }
            }
            if (candidates.size() == 1) {
                throw new CliFailure("cannot read the owner key " + candidate + ": no such file", null,
                        JobExitCodes.REJECTED_OR_USAGE);
            }
        }
        throw new CliFailure("no owner key: none given (--owner-key or $" + KEY_ENV + ") and none at "
                + candidates.stream().map(Path::toString).toList() + "; make one with 'sluice keygen' and have an "
                + "operator register its public key for your owner", null, JobExitCodes.REJECTED_OR_USAGE);
    }
}
