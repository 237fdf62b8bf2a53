package io.sluice.runner.config;

import io.sluice.runner.domain.IsolationMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where the isolation keeps what lives only as long as the host's processes (their state directories, runc's root):
 * the configured runtime dir; else, with runc, a directory named after the state dir on the host's tmpfs (/run, as
 * runc's own default root is, or /dev/shm where /run is plain disk), so a launch creates no inodes on the state disk
 * and a restarted runner finds the same one; else (isolation none, maybe not root) beside the rest of the isolation's
 * state.
 */
public final class RuntimeRoot {

    static final Path RUN = Path.of("/run/sluice-node");
    static final Path SHM = Path.of("/dev/shm/sluice-node");

    private RuntimeRoot() {
    }

    /** The runtime root a runner uses for {@code configured} (null: not set), its isolation mode and state dir. */
    public static Path of(Path configured, IsolationMode mode, Path stateDir) {
        return of(configured, mode, stateDir, RuntimeRoot::isTmpfs);
    }

    static Path of(Path configured, IsolationMode mode, Path stateDir, Predicate<Path> isTmpfs) {
        if (configured != null) {
            return configured.toAbsolutePath();
        }
        Path state = stateDir.toAbsolutePath().normalize();
        if (mode == IsolationMode.NONE) {
            return state.resolve("isolation");
        }
        Path base = List.of(RUN, SHM).stream().filter(candidate -> isTmpfs.test(candidate.getParent())).findFirst()
                .orElse(RUN);
        return base.resolve(digestOf(state.toString()));
    }

    /** Whether {@code path}, or where it would be created, is on a tmpfs. */
    static boolean onTmpfs(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        return existing != null && isTmpfs(existing);
    }

    /** Whether {@code dir} is on a tmpfs; false when that cannot be told (it does not exist, say). */
    static boolean isTmpfs(Path dir) {
        try {
            return Files.isDirectory(dir) && "tmpfs".equals(Files.getFileStore(dir).type());
        } catch (IOException e) {
            return false;
        }
    }

    private static String digestOf(String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
