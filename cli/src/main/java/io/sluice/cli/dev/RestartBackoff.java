package io.sluice.cli.dev;

import java.time.Duration;
import java.util.Optional;

/**
 * When a supervised service that exited is started again (pure: how long it was up comes in as an argument): not
 * after a deliberate stop, otherwise after 1 s, 2 s, 4 s ... at most 30 s, from 1 s again once it had stayed up a while.
 */
final class RestartBackoff {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration LONGEST_DELAY = Duration.ofSeconds(30);
    /** A service up this long before it exited was running well: its next crash waits the first delay again. */
    static final Duration STABLE_AFTER = Duration.ofSeconds(60);

    /** The {@code number}th restart of the service since sluice dev started, due {@code delay} after its exit. */
    record Restart(int number, Duration delay) {
    }

    private final Duration firstDelay;
    private final Duration longestDelay;
    private final Duration stableAfter;
    private int restarts;
    private int crashesInARow;

    RestartBackoff() {
        this(FIRST_DELAY, LONGEST_DELAY, STABLE_AFTER);
    }

    RestartBackoff(Duration firstDelay, Duration longestDelay, Duration stableAfter) {
        if (firstDelay.isNegative() || firstDelay.isZero() || longestDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("the first delay must be positive and at most the longest, not "
                    + firstDelay + " and " + longestDelay);
        }
        this.firstDelay = firstDelay;
        this.longestDelay = longestDelay;
        this.stableAfter = stableAfter;
    }

    /** The restart due after the service exited with {@code exitCode} having run {@code upFor}; empty: leave it. */
    Optional<Restart> afterExit(int exitCode, Duration upFor) {
        if (deliberate(exitCode)) {
            return Optional.empty();
        }
        if (upFor.compareTo(stableAfter) >= 0) {
            crashesInARow = 0;
        }
        // Doubling past 2^20 seconds would only reach the cap anyway; the bound keeps the shift from overflowing.
        Duration delay = firstDelay.multipliedBy(1L << Math.min(crashesInARow, 20));
        crashesInARow++;
        restarts++;
        return Optional.of(new Restart(restarts, delay.compareTo(longestDelay) > 0 ? longestDelay : delay));
    }

    /**
     * Whether the service was stopped on purpose, as systemd's {@code Restart=on-failure} sees it: it exited 0, or
     * on SIGHUP, SIGINT or SIGTERM (a JVM exits 128 plus the signal's number), which is what {@code kill PID} sends.
     * SIGKILL (137), a crash or any other code is a failure.
     */
    static boolean deliberate(int exitCode) {
        return exitCode == 0 || exitCode == 128 + 1 || exitCode == 128 + 2 || exitCode == 128 + 15;
    }
}
