package io.sluice.cli.dev;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import sun.misc.Signal;

/**
 * Turns SIGINT, SIGTERM and SIGHUP into a request to stop, so that the cli stops the services, the database and the
 * broker in that order and exits 0, instead of the JVM running its shutdown hooks all at once and exiting 143.
 */
final class StopOnSignal {

    // sun.misc.Signal (module jdk.unsupported) is the JDK's only way to handle a signal instead of exiting on it.
    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP");

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private volatile String firstSignal = "";
    private volatile Runnable onRepeat = () -> { };

    private StopOnSignal() {
    }

    /** Handles the stop signals from now on; a signal the JVM reserves (as with -Xrs) keeps its default behaviour. */
    static StopOnSignal install() {
        StopOnSignal stop = new StopOnSignal();
        for (String name : STOP_SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> stop.receive("SIG" + signal.getName()));
            } catch (IllegalArgumentException reservedByTheJvm) {
                // The JVM keeps this signal's default action: the shutdown hook still stops the services.
            }
        }
        return stop;
    }

    /** What to do if a stop signal arrives again while stopping, such as a user pressing Ctrl-C twice. */
    void onRepeat(Runnable action) {
        this.onRepeat = action;
    }

    /** Which signal (or reason) asked first; empty while none has. */
    String reason() {
        return firstSignal;
    }

    /** Waits until a stop is requested or the time passes; true if a stop was requested. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    void awaitRequest() throws InterruptedException {
        requested.await();
    }

    private void receive(String reason) {
        if (received.incrementAndGet() == 1) {
            firstSignal = reason;
            requested.countDown();
        } else {
            onRepeat.run();
        }
    }
}
