package io.sluice.bus.task;

import java.time.Duration;

/**
 * A background pass a service runs every interval once its plumbing runs (expiring deadlines, noticing lost
 * nodes). Each pass does its work in transactions of its own through {@link TaskContext}; a failing pass is logged
 * and tried again on the next interval.
 */
public interface PeriodicTask {

    /** A verb phrase naming the task, as it appears in logs, thread names and health. */
    String name();

    /** How long to wait between the end of one pass and the start of the next. */
    Duration interval();

    /** Runs one pass. */
    void runOnce(TaskContext context) throws Exception;
}
