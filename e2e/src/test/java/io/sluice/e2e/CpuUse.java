package io.sluice.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The CPU time used so far by some JVMs, by the PostgreSQL server and by the machine's cores as a whole, from
 * {@code /proc}: a phase's CPU per job split by who spent it. What the parts leave of the cores' busy time went to
 * runc, the shims, the containers and the kernel's own threads.
 */
record CpuUse(Map<String, Long> ticksByPart, CoreTicks cores) {

    /** Times in {@code /proc} count USER_HZ ticks: 100 a second on every architecture Sluice runs on. */
    static final double MS_PER_TICK = 10;

    /** The named JVMs' time, the server's, and the cores' time now. */
    static CpuUse now(Map<String, Long> jvms) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        jvms.forEach((name, pid) -> ticks.put(name, ProcStat.ofProcess(pid).map(ProcStat::ownTicks).orElse(0L)));
        ticks.put("PostgreSQL", postgresTicks());
        return new CpuUse(ticks, CoreTicks.now());
    }

    /** The ms of CPU per item (a job, a run) since {@code before}, in all and by part, as a line to print. */
    String perItemSince(CpuUse before, int items, String item) {
        StringJoiner parts = new StringJoiner("; ");
        long attributed = 0;
        for (Map.Entry<String, Long> part : ticksByPart.entrySet()) {
            long ticks = part.getValue() - before.ticksByPart.getOrDefault(part.getKey(), 0L);
            attributed += ticks;
            parts.add(String.format("%s %.1f", part.getKey(), ticks * MS_PER_TICK / items));
        }
        long busy = cores.busy() - before.cores.busy();
        parts.add(String.format("the rest (runc, shims, containers, kernel) %.1f", (busy - attributed) * MS_PER_TICK
                / items));
        return String.format("%.1f ms of CPU per %s (%s)", busy * MS_PER_TICK / items, item, parts);
    }

    /** The server's live processes, and those that ended (backends, autovacuum workers) as their parent reaped them. */
    private static long postgresTicks() {
        return ProcessHandle.allProcesses().filter(CpuUse::isPostmaster).mapToLong(postmaster -> {
            long ticks = ProcStat.ofProcess(postmaster.pid())
                    .map(stat -> stat.ownTicks() + stat.reapedChildrenTicks()).orElse(0L);
            return ticks + postmaster.children().mapToLong(child -> ProcStat.ofProcess(child.pid())
                    .map(ProcStat::ownTicks).orElse(0L)).sum();
        }).sum();
    }

    private static boolean isPostmaster(ProcessHandle process) {
        return isPostgres(process) && process.parent().map(parent -> !isPostgres(parent)).orElse(true);
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/bin/postgres")).orElse(false);
    }
}
