package io.sluice.runner.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads small files of /proc, /sys and the state dir by streaming them to the end: {@code Files.readString} trusts
 * the size that stat reports and, on some kernels, returns only part of a /proc file.
 */
final class ProcFiles {

    private ProcFiles() {
    }

    static byte[] readBytes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readAllBytes();
        }
    }

    static String read(Path file) throws IOException {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }
}
