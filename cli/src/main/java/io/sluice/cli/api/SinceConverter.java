package io.sluice.cli.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

import io.sluice.cli.jobs.DurationText;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --since}: a time ({@code 2026-12-06T15:00:00Z}; without a zone, {@code 2026-12-06T15:00} or a day
 * {@code 2026-12-06}, in this machine's zone) or a duration back from now ({@code 30m}, {@code 2h}, {@code 1d}).
 */
final class SinceConverter implements ITypeConverter<Instant> {

    private final Clock clock;

    SinceConverter() {
        this(Clock.systemDefaultZone());
    }

    SinceConverter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String text) {
        String value = text.strip();
        try {
            return clock.instant().minus(DurationText.parse(value));
        } catch (IllegalArgumentException notADuration) {
            // Then it should be a time.
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            // A local time, then, or a day.
        }
        try {
            return LocalDateTime.parse(value).atZone(clock.getZone()).toInstant();
        } catch (DateTimeParseException notALocalTime) {
            // A day, then.
        }
        try {
            return LocalDate.parse(value).atStartOfDay(clock.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is neither a time (2026-12-06T15:00:00Z, "
                    + "2026-12-06T15:00, 2026-12-06) nor a duration back from now (30m, 2h, 1d)");
        }
    }
}
