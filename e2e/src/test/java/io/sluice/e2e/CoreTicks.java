package io.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The machine's cores' time so far, from {@code /proc/stat}: all of it, the idle part, and the part the hypervisor
 * gave to other guests (steal), which a virtual machine's speed drops with.
 */
record CoreTicks(long all, long idle, long steal) {

    static CoreTicks now() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            long[] fields = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            // user nice system idle iowait irq softirq steal
            return new CoreTicks(Arrays.stream(fields).limit(8).sum(), fields[3] + fields[4], fields[7]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    /** The cores' time so far that was neither idle nor stolen by the host. */
    long busy() {
        return all - idle - steal;
    }

    /** The share of the cores' time since {@code before} that was neither idle nor stolen by the host. */
    double busyPercentSince(CoreTicks before) {
        return percentOfAll(before, busy() - before.busy());
    }

    /** The share of the cores' time since {@code before} that the host gave to others. */
    double stealPercentSince(CoreTicks before) {
        return percentOfAll(before, steal - before.steal);
    }

    private double percentOfAll(CoreTicks before, long ticks) {
        long total = all - before.all;
        return total == 0 ? 0 : 100.0 * ticks / total;
    }
}
