package io.sluice.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** --since and --until take a time or a duration back from now, and say what they take when given neither. */
class TimeArgumentTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final TimeArgument times = new TimeArgument(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void an_iso_time_with_its_offset_is_that_instant() {
        assertThat(times.convert("2026-12-06T10:15:30Z")).isEqualTo(Instant.parse("2026-12-06T10:15:30Z"));
        assertThat(times.convert("2026-12-06T11:15:30+01:00")).isEqualTo(Instant.parse("2026-12-06T10:15:30Z"));
    }

    @Test
    void a_duration_is_that_long_before_now() {
        assertThat(times.convert("10m")).isEqualTo(Instant.parse("2026-12-06T11:50:00Z"));
        assertThat(times.convert("1h30m")).isEqualTo(Instant.parse("2026-12-06T10:30:00Z"));
        assertThat(times.convert("PT5S")).isEqualTo(Instant.parse("2026-12-06T11:59:55Z"));
    }

    @Test
    void anything_else_is_refused_saying_what_a_time_looks_like() {
        for (String wrong : new String[] {"yesterday", "2026-12-06", "2026-12-06T10:15:30", "-5m"}) {
            assertThatThrownBy(() -> times.convert(wrong)).isInstanceOf(TypeConversionException.class)
                    .hasMessage("'" + wrong + "' is no time: give an ISO-8601 time with its offset "
                            + "(2026-12-06T10:15:30Z) or a duration back from now (10m, 1h30m)");
        }
    }
}
