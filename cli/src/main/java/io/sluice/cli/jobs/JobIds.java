package io.sluice.cli.jobs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;

/**
 * Fresh job ids that cannot collide and sort by time, {@code job-01jeq5x1p8w2k7m3n4r5s6t7v8} ({@code job-} and a
 * lowercase ULID: 48 bits of milliseconds, 80 random bits), and the time a job id carries, which lets {@code watch}
 * and {@code logs} seek to the job's first records.
 */
final class JobIds {

    private static final String PREFIX = "job-";
    /** The ids this command made before ULIDs: {@code job-20250314-093012-7f3a}, their second in UTC. */
    private static final Pattern DATED = Pattern.compile("job-(\\d{8}-\\d{6})-[0-9a-f]{4}");
    private static final DateTimeFormatter DATED_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private JobIds() {
    }

    static String fresh(Instant now) {
        return PREFIX + UlidCreator.getUlid(now.toEpochMilli()).toLowerCase();
    }

    /**
     * When the job id was made, if it is one this command makes (a ULID id, or the dated form of earlier versions);
     * empty for an id a person chose, which says nothing about when the job was sent.
     */
    static Optional<Instant> timeOf(String jobId) {
        if (jobId.startsWith(PREFIX) && Ulid.isValid(jobId.substring(PREFIX.length()))) {
            return Optional.of(Ulid.getInstant(jobId.substring(PREFIX.length()).toUpperCase(Locale.ROOT)));
        }
        Matcher dated = DATED.matcher(jobId);
        if (dated.matches()) {
            try {
                return Optional.of(LocalDateTime.parse(dated.group(1), DATED_TIME).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
