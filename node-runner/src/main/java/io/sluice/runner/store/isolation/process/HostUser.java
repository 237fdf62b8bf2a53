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
        return uidField(0);
    }

    /** The effective uid of this JVM, the one the kernel checks permissions with; -1 if unknown. */
    public static long euid() {
        return uidField(1);
    }

    /** A field of /proc/self/status's "Uid:" line: real, effective, saved set, file system uid. */
    private static long uidField(int index) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[index]);
                }
            }
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
        return -1;
    }
}
