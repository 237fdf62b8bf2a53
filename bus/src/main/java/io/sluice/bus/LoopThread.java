package io.sluice.bus;

import java.time.Duration;

/** The thread of one background loop: started once, asked to stop, woken, and waited for. */
public final class LoopThread {

    private final String name;
    private final Runnable body;
    private volatile boolean running;
    private Thread thread;

    /** {@code body} runs on the thread and should return soon after {@link #running()} turns false. */
    public LoopThread(String name, Runnable body) {
        this.name = name;
        this.body = body;
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(body, name);
        thread.start();
    }

    public boolean running() {
        return running;
    }

    /** Asks the loop to stop, wakes it with {@code wake} and waits at most {@code timeout} for it to end. */
    public void stop(Runnable wake, Duration timeout) throws InterruptedException {
        Thread toJoin;
        synchronized (this) {
            running = false;
            toJoin = thread;
        }
        wake.run();
        if (toJoin != null) {
            toJoin.join(timeout.toMillis());
        }
    }
}
