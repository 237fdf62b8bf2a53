package io.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** One process's or thread's line of {@code /proc/.../stat}: its name and the CPU time it and its reaped children used. */
record ProcStat(String name, long ownTicks, long reapedChildrenTicks) {

    /** The line of {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat}; empty when it has ended. */
    static Optional<ProcStat> read(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // pid (comm) state ppid ...: the name may hold spaces and parentheses, the fields after it do not.
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] fields = stat.substring(close + 2).split(" ");
            // utime, stime, cutime and cstime are the 14th to 17th fields of the line, the 12th to 15th after the name.
            return Optional.of(new ProcStat(stat.substring(open + 1, close),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])));
        } catch (NoSuchFileException ended) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + statFile, e);
        }
    }

    static Optional<ProcStat> ofProcess(long pid) {
        return read(Path.of("/proc", String.valueOf(pid), "stat"));
    }
}
