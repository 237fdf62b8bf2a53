package io.sluice.runner.store.isolation.process;

/**
 * Receives a process's output as it is appended to its log files.
 *
 * <p>Calls for one stream come in file order from one thread at a time; calls for stdout and stderr may interleave.
 * All output is delivered before the process's {@link RunningProcess#exit()} completes. Keep it quick (hand the bytes
 * to a queue): the calling threads are shared by all processes of the node.
 */
@FunctionalInterface
public interface OutputListener {

    /** Bytes appended to {@code stream}; the array is the listener's to keep. */
    void output(String processName, OutputStream stream, byte[] bytes);

    /**
     * The job's log directory reached its quota of {@code quotaBytes} (see {@link JobLogDirectory}) after the bytes
     * delivered so far: what the job writes from now on may be lost. Called once per process, after its last
     * {@link #output} call of that moment.
     */
    default void logDirectoryFull(String processName, long quotaBytes) {
    }

    /** A listener that drops everything (the log files still hold it). */
    OutputListener DISCARD = (processName, stream, bytes) -> { };
}
