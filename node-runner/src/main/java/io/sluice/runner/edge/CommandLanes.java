package io.sluice.runner.edge;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the node's commands one lane per worker: a worker's commands one after another in the order they were
 * submitted, different workers' commands at the same time.
 */
final class CommandLanes {

    private final ExecutorService threads;
    /** The last command submitted to each lane that has one queued or running. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    CommandLanes() {
        AtomicInteger count = new AtomicInteger();
        // Platform threads: a command may block in a synchronized section (an input fetch), which would pin a
        // virtual thread's carrier on Java 21 and could stall every other lane on a 2-core host.
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "node-command-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code command} after every command submitted before to the same lane; it must not throw. */
    synchronized void submit(String lane, Runnable command) {
        CompletableFuture<Void> previous = tails.getOrDefault(lane, CompletableFuture.completedFuture(null));
        CompletableFuture<Void> next = previous.thenRunAsync(command, threads);
        tails.put(lane, next);
        next.whenComplete((ignored, failure) -> forget(lane, next));
    }

    /**
     * Waits at most {@code timeout} for the commands queued and running, then takes no more; false when some did
     * not finish (they go on, and whatever they did not record is applied again after a restart).
     */
    boolean close(Duration timeout) throws InterruptedException {
        CompletableFuture<?>[] pending;
        synchronized (this) {
            pending = tails.values().toArray(CompletableFuture[]::new);
        }
        boolean finished = true;
        try {
            CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            finished = false;
        } catch (ExecutionException e) {
            // a lane that failed has nothing left to wait for
        }
        threads.shutdown();
        return finished;
    }

    private synchronized void forget(String lane, CompletableFuture<Void> finished) {
        tails.remove(lane, finished);
    }
}
