package io.sluice.e2e;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time the C2 compiler threads of some JVMs have used so far, from {@code /proc}: a JVM whose C2 still
 * compiles during a measurement has not finished warming up, and its compiler competes with the work measured.
 */
final class JitTime {

    /** The kernel keeps 15 characters of a thread's name. */
    private static final String C2_THREAD = "C2 CompilerThre";

    private JitTime() {
    }

    /** For each named JVM, the milliseconds of CPU its C2 compiler threads used so far (0 for a JVM gone). */
    static Map<String, Double> c2Millis(Map<String, Long> pids) {
        Map<String, Double> millis = new LinkedHashMap<>();
        pids.forEach((name, pid) -> millis.put(name, c2Ticks(pid) * CpuUse.MS_PER_TICK));
        return millis;
    }

    private static long c2Ticks(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path thread : threads) {
                ticks += c2TicksOf(thread);
            }
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the threads of process " + pid, e);
        }
        return ticks;
    }

    private static long c2TicksOf(Path thread) {
        return ProcStat.read(thread.resolve("stat")).filter(stat -> stat.name().startsWith(C2_THREAD))
                .map(ProcStat::ownTicks).orElse(0L);
    }
}
