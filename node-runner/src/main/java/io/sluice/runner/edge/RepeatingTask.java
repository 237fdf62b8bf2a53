package io.sluice.runner.edge;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a piece of the node's housekeeping on a thread of its own at a fixed delay; a failed run is logged and retried. */
final class RepeatingTask implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RepeatingTask.class);

    private final String what;
    private final Runnable action;
    private final Duration initialDelay;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;

    /** @param what what the task does, as "cannot {what}" reads in the log, e.g. "checkpoint the shipped logs" */
    RepeatingTask(String threadName, String what, Runnable action, Duration initialDelay, Duration interval) {
        this.what = what;
        this.action = action;
        this.initialDelay = initialDelay;
        this.interval = interval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, threadName));
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("cannot {}; trying again in {}", what, interval, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
}
