package io.sluice.runner.store.isolation.shim;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The isolation layer's threads: a ticker for timers and output polling, a pool for the blocking work on processes. */
final class IsolationThreads {

    private static final Logger LOG = LoggerFactory.getLogger(IsolationThreads.class);

    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2,
            daemon("sluice-isolation-tick"));
    private final ExecutorService blocking = Executors.newCachedThreadPool(daemon("sluice-isolation"));

    ScheduledExecutorService ticker() {
        return ticker;
    }

    void runBlocking(Runnable task) {
        try {
            blocking.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("isolation task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("isolation closed, task dropped");
        }
    }

    void schedule(Runnable task, Duration delay) {
        try {
            ticker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("isolation closed, timer dropped");
        }
    }

    /** Stops the timers at once and takes no more blocking work; work under way finishes. */
    void close() {
        ticker.shutdownNow();
        blocking.shutdown();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
