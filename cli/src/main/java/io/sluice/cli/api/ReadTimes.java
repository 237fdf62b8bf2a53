package io.sluice.cli.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.jobs.DurationText;

/** The times the read commands show: in this machine's zone, today's as a clock time, others with their day. */
final class ReadTimes {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter PRECISE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter PRECISE_DAY_AND_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final ZoneId zone;
    private final Instant now;

    ReadTimes(ZoneId zone, Instant now) {
        this.zone = zone;
        this.now = now;
    }

    static ReadTimes here() {
        return new ReadTimes(ZoneId.systemDefault(), Instant.now());
    }

    /** {@code 15:02:11}, or {@code 2026-12-05 09:00:00} for another day; "-" for none. */
    String time(JsonNode value) {
        return format(value, TIME, DAY_AND_TIME);
    }

    /** As {@link #time}, to the millisecond: {@code 15:02:11.123}. */
    String preciseTime(JsonNode value) {
        return format(value, PRECISE_TIME, PRECISE_DAY_AND_TIME);
    }

    private String format(JsonNode value, DateTimeFormatter todays, DateTimeFormatter anotherDays) {
        Instant instant = parse(value);
        if (instant == null) {
            return "-";
        }
        boolean today = LocalDate.ofInstant(instant, zone).equals(LocalDate.ofInstant(now, zone));
        return (today ? todays : anotherDays).format(instant.atZone(zone));
    }

    /** How long ago: {@code 850 ms ago}, {@code 3m 05s ago}; "-" for none. */
    String ago(JsonNode value) {
        Instant instant = parse(value);
        return instant == null ? "-" : DurationText.describe(Duration.between(instant, now).abs()) + " ago";
    }

    /** From one instant to another, {@code 1.2 s}; empty when either is missing. */
    static String between(JsonNode fromValue, JsonNode toValue) {
        Instant from = parse(fromValue);
        Instant to = parse(toValue);
        return from == null || to == null ? "" : DurationText.describe(Duration.between(from, to).abs());
    }

    /**
     * The instant a service wrote: ISO-8601 text, or a number (seconds with a fraction, as Micronaut writes an
     * Instant when told to write dates as timestamps); null for none or anything else.
     */
    static Instant parse(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
