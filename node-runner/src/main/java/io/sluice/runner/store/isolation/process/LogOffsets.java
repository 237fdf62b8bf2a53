package io.sluice.runner.store.isolation.process;

/**
 * How many bytes of each stream a listener already received for one run of a process, so that an adopting runner
 * resumes where its predecessor stopped instead of from the beginning.
 */
public record LogOffsets(long stdout, long stderr) {

    /** From the first byte the process wrote. */
    public static final LogOffsets START = new LogOffsets(0, 0);

    public LogOffsets {
        if (stdout < 0 || stderr < 0) {
            throw new IllegalArgumentException("log offsets must be >= 0, got " + stdout + "/" + stderr);
        }
    }

    public long of(OutputStream stream) {
        return stream == OutputStream.STDOUT ? stdout : stderr;
    }
}
