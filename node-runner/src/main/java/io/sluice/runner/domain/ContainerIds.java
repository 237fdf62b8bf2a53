package io.sluice.runner.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Turns job and process names into the container ids and hostnames that runc, the kernel and the file system
 * accept.
 */
public final class ContainerIds {

    // Compiled once and a digest cloned: on every launch, compiling and looking them up cost about 0.2 ms.
    private static final Pattern NOT_ID = Pattern.compile("[^A-Za-z0-9_.-]");
    private static final Pattern NOT_HOSTNAME = Pattern.compile("[^A-Za-z0-9-]");
    private static final Pattern TRAILING_DASHES = Pattern.compile("-+$");
    private static final MessageDigest SHA_256 = sha256();

    private ContainerIds() {
    }

    /**
     * A container id unique per (workerId, processName): readable parts plus a hash of the exact key, so that two keys
     * that sanitize alike still differ. runc accepts {@code [\w+.-]+}.
     */
    public static String containerId(ProcessKey key) {
        return "sl-" + clean(key.workerId(), 24) + "-" + clean(key.processName(), 24) + "-"
                + hash(key.workerId() + "\n" + key.processName()).substring(0, 12);
    }

    /** The job's hostname: its id with anything a hostname cannot hold replaced by '-', at most 63 characters. */
    public static String hostname(String jobId) {
        String name = NOT_HOSTNAME.matcher(jobId).replaceAll("-");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        return TRAILING_DASHES.matcher(name).replaceAll("");
    }

    private static String clean(String text, int max) {
        String cleaned = NOT_ID.matcher(text).replaceAll("_");
        return cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
    }

    private static String hash(String text) {
        try {
            MessageDigest digest = (MessageDigest) SHA_256.clone();
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
