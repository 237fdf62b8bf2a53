package io.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
        Ticks[] last = {Ticks.now()};
        double[] busy = {100};
        try {
            Awaitility.await().atMost(max).pollDelay(WINDOW).pollInterval(WINDOW).until(() -> {
                Ticks now = Ticks.now();
                busy[0] = now.busyPercentSince(last[0]);
                last[0] = now;
                return busy[0] < busyPercent;
            });
        } catch (ConditionTimeoutException stillBusy) {
            // Measured anyway: the printed percentage says the machine was not quiet.
        }
        return busy[0];
    }

    /** All ticks of all cores so far, and the idle and iowait ones among them. */
    private record Ticks(long all, long idle) {

        static Ticks now() {
            try {
                String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
                long[] fields = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
                // user nice system idle iowait irq softirq steal
                return new Ticks(Arrays.stream(fields).limit(8).sum(), fields[3] + fields[4]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc/stat", e);
            }
        }

        double busyPercentSince(Ticks before) {
            long total = all - before.all;
            return total == 0 ? 0 : 100.0 * (total - (idle - before.idle)) / total;
        }
    }
}
