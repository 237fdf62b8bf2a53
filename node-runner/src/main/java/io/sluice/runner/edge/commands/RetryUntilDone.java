package io.sluice.runner.edge.commands;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Background work that must happen even if the broker or the disk fails for a while (an exit reported, a worker's
 * destruction finished): each piece is retried every second on a pool of its own until it succeeds or the pool is
 * closed.
 */
final class RetryUntilDone implements AutoCloseable {

    /** One attempt; throwing means "not yet". */
    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    private final ExecutorService pool;
    private final Logger log;
    private volatile boolean open = true;

    RetryUntilDone(String threadName, Logger log) {
        this.pool = Executors.newCachedThreadPool(r -> new Thread(r, threadName));
        this.log = log;
    }

    /** The pool to run pieces of work on (say, as the executor of a completion stage). */
    Executor executor() {
        return pool;
    }

    /** Runs {@code attempt} on the calling thread until it succeeds, logging each failure as {@code what}. */
    void retry(String what, Attempt attempt) {
        while (open) {
            try {
                attempt.run();
                return;
            } catch (Exception e) {
                log.warn("cannot {} yet: {}", what, e.toString());
                pause();
            }
        }
    }

    private void pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
