package io.sluice.e2e;

import java.util.Comparator;
import java.util.List;

/**
 * One load phase of the benchmark with the bare runc loops measured right before and right after it: its throughput
 * is compared with the mean of the two, and the run's figure is the median round, because the machine's speed
 * changes by spells and one round moved by ten points from run to run.
 *
 * @param stealPercent the most of the cores' time the host gave to other guests in the load phase or either loop
 */
record LoadRound(int number, double completedPerSecond, double loopBefore, double loopAfter, double stealPercent) {

    /** Above this change between the loops either side of a round, the machine drifted during it. */
    static final double DRIFT_WARNING = 0.10;
    /** Above this much steal, a single loop slows down more than the system does, and the ratio measures the host. */
    static final double STEAL_WARNING_PERCENT = 2;

    /** The throughput against the mean rate of the loops either side. */
    double ratio() {
        return completedPerSecond / ((loopBefore + loopAfter) / 2);
    }

    /** How much the loop's rate changed across the round, as a fraction of the slower loop. */
    double drift() {
        return Math.max(loopBefore, loopAfter) / Math.min(loopBefore, loopAfter) - 1;
    }

    boolean stolen() {
        return stealPercent > STEAL_WARNING_PERCENT;
    }

    String describe() {
        return String.format("round %d: %.1f completed jobs/s = %.0f %% of the runc loop (%.1f runs/s before it, "
                        + "%.1f after it)%s%s", number, completedPerSecond, 100 * ratio(), loopBefore, loopAfter,
                drift() > DRIFT_WARNING ? String.format("; the loop changed by %.0f %%: the machine drifted",
                        100 * drift()) : "",
                stolen() ? String.format("; the host took up to %.0f %% of the cores (steal): the ratio measures the "
                        + "host", stealPercent) : "");
    }

    /**
     * The round of median ratio (the lower middle one of an even number) among those in which the host took next to
     * nothing, or among all when it took from every one.
     */
    static LoadRound median(List<LoadRound> rounds) {
        List<LoadRound> clean = rounds.stream().filter(round -> !round.stolen()).toList();
        List<LoadRound> sorted = (clean.isEmpty() ? rounds : clean).stream()
                .sorted(Comparator.comparingDouble(LoadRound::ratio)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
