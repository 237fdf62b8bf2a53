package io.sluice.runner.store.isolation.process;

/** Which of a process's two output streams some bytes came from. */
public enum OutputStream {
    STDOUT,
    STDERR;

    /** The log file suffix of this stream, e.g. {@code stdout.log}. */
    public String logSuffix() {
        return name().toLowerCase(java.util.Locale.ROOT) + ".log";
    }
}
