package io.sluice.cli.jobs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 1500ms}) and writes them back. */
public final class DurationText {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * The duration {@code text} stands for: one or more number-unit pairs (units ms, s, m, h, d), or ISO-8601
     * ({@code PT30S}); never negative.
     *
     * @throws IllegalArgumentException saying what a duration looks like
     */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.toUpperCase().startsWith("P")) {
            return iso(trimmed);
        }
        Matcher part = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < trimmed.length() && part.find(at) && part.start() == at) {
            total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
            at = part.end();
        }
        if (trimmed.isEmpty() || at != trimmed.length()) {
            throw new IllegalArgumentException(notADuration(text));
        }
        return total;
    }

    /** A duration for people: {@code 850 ms}, {@code 1.2 s}, {@code 3m 05s}, {@code 2h 10m}. */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format("%.1f s", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3_600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm", seconds / 3_600, seconds % 3_600 / 60);
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException("the pattern admits no unit " + unit);
        };
    }

    private static Duration iso(String text) {
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative; a duration here is 0 or more");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(notADuration(text), e);
        }
    }

    private static String notADuration(String text) {
        return "'" + text + "' is not a duration: write a number and a unit (ms, s, m, h, d), e.g. 30s, 5m, 1h30m";
    }
}
