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
    /** A thread's times in {@code /proc} count USER_HZ ticks: 100 a second on every architecture Sluice runs on. */
    private static final double MS_PER_TICK = 10;

    private JitTime() {
    }

    /** For each named JVM, the milliseconds of CPU its C2 compiler threads used so far (0 for a JVM gone). */
    static Map<String, Double> c2Millis(Map<String, Long> pids) {
        Map<String, Double> millis = new LinkedHashMap<>();
        pids.forEach((name, pid) -> millis.put(name, c2Ticks(pid) * MS_PER_TICK));
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

    private static long c2TicksOf(Path thread) throws IOException {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            // pid (comm) state ppid ...: the name may hold spaces and parentheses, the fields after it do not.
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (!stat.substring(open + 1, close).startsWith(C2_THREAD)) {
                return 0;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the name.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NoSuchFileException ended) {
            return 0;
        }
    }
}
