package io.sluice.runner.store.isolation.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads small files of /proc, /sys and the state dir by streaming them to the end: {@code Files.readString} trusts
 * the size that stat reports and, on some kernels, returns only part of a /proc file.
 */
public final class ProcFiles {

    private ProcFiles() {
    }

    public static byte[] readBytes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        }
    }

    public static String read(Path file) throws IOException {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    /**
     * The file's content, empty when it does not exist: asking first costs a stat, while the exception of opening a
     * missing file costs tens of microseconds (a state file not written yet, a process gone, a cgroup removed).
     */
    public static Optional<String> readIfExists(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
