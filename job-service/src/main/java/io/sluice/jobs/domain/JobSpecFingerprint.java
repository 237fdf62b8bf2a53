package io.sluice.jobs.domain;

import io.sluice.events.JobSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The fingerprint of a job's spec by which intake tells a resubmission of a job from another job under its id. */
public final class JobSpecFingerprint {

    private JobSpecFingerprint() {
    }

    /** The SHA-256 of the spec's Avro encoding, in hex. */
    public static String sha256Of(JobSpec spec) {
        try {
            ByteBuffer bytes = spec.toByteBuffer();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a job spec", e);
        }
    }
}
