package io.sluice.cli.inspect;

import io.sluice.cli.jobs.DurationText;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a point in time given as an ISO-8601 instant ({@code 2026-12-06T10:15:30Z}, or with an offset) or as a
 * duration back from now ({@code 10m}, {@code 1h30m}, {@code PT5M}).
 */
public final class TimeArgument implements ITypeConverter<Instant> {

    private final Clock clock;

    public TimeArgument() {
        this(Clock.systemUTC());
    }

    TimeArgument(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String text) {
        String trimmed = text.strip();
        if (!trimmed.isEmpty() && Character.isDigit(trimmed.charAt(0)) && trimmed.contains("-")) {
            try {
                return OffsetDateTime.parse(trimmed).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + text + "' is no time: give an ISO-8601 time with its offset "
                        + "(2026-12-06T10:15:30Z) or a duration back from now (10m, 1h30m)");
            }
        }
        try {
            return clock.instant().minus(DurationText.parse(trimmed));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "' is no time: give an ISO-8601 time with its offset "
                    + "(2026-12-06T10:15:30Z) or a duration back from now (10m, 1h30m)");
        }
    }
}
