package io.sluice.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Waits until the machine's cores are nearly idle (from {@code /proc/stat}), so that a baseline is not measured
 * beside JVMs still compiling their start-up code or a queue still draining.
 */
final class QuietMachine {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private QuietMachine() {
    }

    /**
     * Waits until less than {@code busyPercent} of the cores' time was busy over a second, at most {@code max};
     * returns the last second's busy percentage.
     */
    static double await(double busyPercent, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        double busy;
        do {
            long[] before = cpuTicks();
            Thread.sleep(WINDOW);
            long[] after = cpuTicks();
            long total = after[0] - before[0];
            busy = total == 0 ? 0 : 100.0 * (total - (after[1] - before[1])) / total;
        } while (busy >= busyPercent && System.nanoTime() < deadline);
        return busy;
    }

    /** All ticks of all cores, and the idle and iowait ones among them. */
    private static long[] cpuTicks() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        long[] fields = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
        long all = Arrays.stream(fields).limit(8).sum(); // user nice system idle iowait irq softirq steal
        return new long[] {all, fields[3] + fields[4]};
    }
}
