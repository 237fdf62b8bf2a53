package io.sluice.e2e;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until the machine's cores are nearly idle (from {@code /proc/stat}), so that a baseline is not measured
 * beside JVMs still compiling their start-up code or a queue still draining.
 */
final class QuietMachine {

    /** How long each look at the cores' ticks spans. */
    private static final Duration WINDOW = Duration.ofSeconds(1);

    private QuietMachine() {
    }

    /**
     * Waits until less than {@code busyPercent} of the cores' time was busy over the last second, at most
     * {@code max}; returns the busy percentage it saw last (a machine still busy after {@code max} is measured anyway,
     * and the caller prints how busy it was).
     */
    static double await(double busyPercent, Duration max) {
        CoreTicks[] last = {CoreTicks.now()};
        double[] busy = {100};
        try {
            Awaitility.await().atMost(max).pollDelay(WINDOW).pollInterval(WINDOW).until(() -> {
                CoreTicks now = CoreTicks.now();
                busy[0] = now.busyPercentSince(last[0]);
                last[0] = now;
                return busy[0] < busyPercent;
            });
        } catch (ConditionTimeoutException stillBusy) {
            // Measured anyway: the printed percentage says the machine was not quiet.
        }
        return busy[0];
    }
}
