package io.sluice.cli.jobs;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Fresh job ids a person can read and sort: {@code job-20250314-093012-7f3a} (UTC time, 4 random hex digits). */
final class JobIds {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    static String fresh(Instant now) {
        byte[] random = new byte[2];
        RANDOM.nextBytes(random);
        return "job-" + TIME.format(now) + "-" + HexFormat.of().formatHex(random);
    }
}
