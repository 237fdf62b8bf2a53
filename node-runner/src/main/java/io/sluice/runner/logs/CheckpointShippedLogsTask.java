package io.sluice.runner.logs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints what every process's log shipper got acknowledged, at a fixed delay: a runner killed with -9 then sends
 * again at most about one interval of output, instead of everything from the first byte.
 */
public final class CheckpointShippedLogsTask implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointShippedLogsTask.class);

    private final Runnable checkpointAll;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "log-checkpoints"));

    public CheckpointShippedLogsTask(Runnable checkpointAll, Duration interval) {
        this.checkpointAll = checkpointAll;
        this.interval = interval;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::checkpointOnce, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void checkpointOnce() {
        try {
            checkpointAll.run();
        } catch (RuntimeException e) {
            LOG.warn("cannot checkpoint the shipped logs; trying again in {}", interval, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
}
