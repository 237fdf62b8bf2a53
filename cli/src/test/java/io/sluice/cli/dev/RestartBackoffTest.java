package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The supervisor's policy: which exits are restarted, and after how long. */
class RestartBackoffTest {

    private static final int SIGKILL = 137;
    private static final Duration BRIEFLY = Duration.ofSeconds(3);

    @Test
    void crashes_in_a_row_wait_twice_as_long_each_time_up_to_thirty_seconds() {
        RestartBackoff backoff = new RestartBackoff();
        List<Long> delays = new ArrayList<>();
        for (int crash = 0; crash < 8; crash++) {
            delays.add(backoff.afterExit(SIGKILL, BRIEFLY).orElseThrow().delay().toSeconds());
        }
        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void restarts_are_numbered_from_one_across_the_whole_run() {
        RestartBackoff backoff = new RestartBackoff();

        assertThat(backoff.afterExit(1, BRIEFLY)).contains(new RestartBackoff.Restart(1, Duration.ofSeconds(1)));
        assertThat(backoff.afterExit(SIGKILL, BRIEFLY)).contains(new RestartBackoff.Restart(2, Duration.ofSeconds(2)));
        assertThat(backoff.afterExit(SIGKILL, Duration.ofMinutes(5)))
                .contains(new RestartBackoff.Restart(3, Duration.ofSeconds(1)));
    }

    @Test
    void a_service_that_stayed_up_a_while_starts_again_from_the_first_delay() {
        RestartBackoff backoff = new RestartBackoff();
        backoff.afterExit(SIGKILL, BRIEFLY);
        backoff.afterExit(SIGKILL, BRIEFLY);
        backoff.afterExit(SIGKILL, BRIEFLY);

        assertThat(backoff.afterExit(SIGKILL, RestartBackoff.STABLE_AFTER.minusMillis(1)).orElseThrow().delay())
                .as("up just short of stable").isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.afterExit(SIGKILL, RestartBackoff.STABLE_AFTER).orElseThrow().delay())
                .as("up long enough").isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.afterExit(SIGKILL, BRIEFLY).orElseThrow().delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_deliberate_stop_is_not_restarted_and_does_not_count() {
        RestartBackoff backoff = new RestartBackoff();

        assertThat(backoff.afterExit(0, BRIEFLY)).as("exit 0").isEmpty();
        assertThat(backoff.afterExit(143, BRIEFLY)).as("SIGTERM, as kill PID").isEmpty();
        assertThat(backoff.afterExit(130, BRIEFLY)).as("SIGINT").isEmpty();
        assertThat(backoff.afterExit(129, BRIEFLY)).as("SIGHUP").isEmpty();
        assertThat(backoff.afterExit(SIGKILL, BRIEFLY)).contains(new RestartBackoff.Restart(1, Duration.ofSeconds(1)));
        assertThat(backoff.afterExit(1, BRIEFLY)).as("a failure").isPresent();
        assertThat(backoff.afterExit(134, BRIEFLY)).as("SIGABRT, a JVM crash").isPresent();
    }

    @Test
    void the_delays_stay_capped_however_long_it_keeps_crashing() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(1));
        Duration last = Duration.ZERO;
        for (int crash = 0; crash < 200; crash++) {
            last = backoff.afterExit(SIGKILL, BRIEFLY).orElseThrow().delay();
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void a_first_delay_longer_than_the_cap_is_refused() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1M and PT30S");
    }
}
