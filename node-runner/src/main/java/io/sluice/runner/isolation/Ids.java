package io.sluice.runner.isolation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Turns job and process names into identifiers that runc, the kernel and the file system accept. */
final class Ids {

    private Ids() {
    }

    /**
     * A container id unique per (workerId, processName): readable parts plus a hash of the exact key, so that two keys
     * that sanitize alike still differ. runc accepts {@code [\w+.-]+}.
     */
    static String containerId(ProcessKey key) {
        return "sl-" + clean(key.workerId(), 24) + "-" + clean(key.processName(), 24) + "-"
                + sha256(key.workerId() + "\n" + key.processName()).substring(0, 12);
    }

    /** The job's hostname: its id with anything a hostname cannot hold replaced by '-', at most 63 characters. */
    static String hostname(String jobId) {
        String name = jobId.replaceAll("[^A-Za-z0-9-]", "-");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        return name.replaceAll("-+$", "");
    }

    private static String clean(String text, int max) {
        String cleaned = text.replaceAll("[^A-Za-z0-9_.-]", "_");
        return cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
