package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void reads_durations_as_people_write_them() {
        assertThat(DurationText.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(DurationText.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationText.parse("0s")).isZero();
    }

    @Test
    void refuses_what_is_not_a_duration_saying_what_one_looks_like() {
        for (String text : new String[] {"", "30", "5 m", "m5", "1.5h", "-3s", "10y", "PTxS"}) {
            assertThatThrownBy(() -> DurationText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + text + "' is not a duration: write a number and a unit (ms, s, m, h, d), "
                            + "e.g. 30s, 5m, 1h30m");
        }
        assertThatThrownBy(() -> DurationText.parse("PT-3S")).hasMessageContaining("is negative");
    }

    @Test
    void describes_durations_for_people() {
        assertThat(DurationText.describe(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(DurationText.describe(Duration.ofMillis(1_200))).isEqualTo("1.2 s");
        assertThat(DurationText.describe(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(DurationText.describe(Duration.ofMinutes(130))).isEqualTo("2h 10m");
    }
}
