package io.sluice.cli.dev;

/** Formats the time since a {@link System#nanoTime()} reading the way the cli reports durations, as "12.3 s". */
final class Elapsed {

    private Elapsed() {
    }

    static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
