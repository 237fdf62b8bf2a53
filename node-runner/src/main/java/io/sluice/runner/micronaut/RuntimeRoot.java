package io.sluice.runner.micronaut;

import io.sluice.runner.isolation.IsolationMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the isolation keeps what lives only as long as the host's processes (their state directories, runc's root):
 * the configured runtime dir; else, with runc, a directory under /run named after the state dir, a tmpfs as runc's
 * own default root is, so a launch creates no inodes on the state disk and a restarted runner finds the same one;
 * else (isolation none, maybe not root) beside the rest of the isolation's state.
 */
final class RuntimeRoot {

    static final Path RUN = Path.of("/run/sluice-node");

    private RuntimeRoot() {
    }

    static Path of(Path configured, IsolationMode mode, Path stateDir) {
        if (configured != null) {
            return configured.toAbsolutePath();
        }
        Path state = stateDir.toAbsolutePath().normalize();
        if (mode == IsolationMode.NONE) {
            return state.resolve("isolation");
        }
        return RUN.resolve(digestOf(state.toString()));
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
