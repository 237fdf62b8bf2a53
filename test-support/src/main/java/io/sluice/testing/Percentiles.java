package io.sluice.testing;

import java.util.Arrays;

/** Prints the p50, p90, p99 and maximum of durations in a benchmark's table, in milliseconds. */
public final class Percentiles {

    private Percentiles() {
    }

    public static void header(String title) {
        System.out.printf("%-56s %8s %8s %8s %8s%n", title, "p50", "p90", "p99", "max");
    }

    public static void print(String label, long[] nanos) {
        System.out.printf("%-56s %8.2f %8.2f %8.2f %8.2f%n", label, of(nanos, 50) / 1e6, of(nanos, 90) / 1e6,
                of(nanos, 99) / 1e6, Arrays.stream(nanos).max().orElse(0) / 1e6);
    }

    /** The nearest-rank percentile. */
    public static double of(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
