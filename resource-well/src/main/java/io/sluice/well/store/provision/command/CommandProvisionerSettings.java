package io.sluice.well.store.provision.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code command} resource type's settings: the operator's provision and release executables (absolute paths),
 * how long each may run before it is killed, and which keys of the provision command's output are secrets.
 */
public record CommandProvisionerSettings(Path provisionExecutable, Path releaseExecutable, Duration timeout,
                                         Set<String> secretKeys) {

    /** How long a command may run when the type does not say. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public CommandProvisionerSettings {
        Objects.requireNonNull(provisionExecutable, "provisionExecutable");
        Objects.requireNonNull(releaseExecutable, "releaseExecutable");
        Objects.requireNonNull(timeout, "timeout");
        secretKeys = Set.copyOf(secretKeys);
        if (!provisionExecutable.isAbsolute()) {
            throw new IllegalArgumentException("the provision command must be an absolute path, not "
                    + provisionExecutable);
        }
        if (!releaseExecutable.isAbsolute()) {
            throw new IllegalArgumentException("the release command must be an absolute path, not "
                    + releaseExecutable);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the command timeout must be positive, not " + timeout);
        }
    }

    /** Settings with the default timeout. */
    public CommandProvisionerSettings(Path provisionExecutable, Path releaseExecutable, Set<String> secretKeys) {
        this(provisionExecutable, releaseExecutable, DEFAULT_TIMEOUT, secretKeys);
    }
}
