package io.sluice.runner.store.isolation.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The user the runner itself runs as. */
public final class HostUser {

    private HostUser() {
    }

    /** The real uid of this JVM, from /proc/self/status; -1 if unknown. */
    public static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
