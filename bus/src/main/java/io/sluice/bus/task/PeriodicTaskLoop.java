package io.sluice.bus.task;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.LoopThread;
import io.sluice.bus.health.ComponentState;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one periodic task on its own thread: a pass, then a pause of the task's interval, until closed. */
public final class PeriodicTaskLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTaskLoop.class);

    private final PeriodicTask task;
    private final BusRuntime bus;
    private final TaskContext context;
    private final String component;
    private final Semaphore wake = new Semaphore(0);
    private final LoopThread thread;

    public PeriodicTaskLoop(BusRuntime bus, PeriodicTask task) {
        this.bus = bus;
        this.task = task;
        this.context = new TaskContext(bus);
        this.component = "task " + task.name();
        this.thread = new LoopThread(task.name(), this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        String lastFailure = null;
        while (thread.running()) {
            try {
                task.runOnce(context);
                if (lastFailure != null) {
                    LOG.info("{} works again", component);
                    lastFailure = null;
                }
                bus.health().report(component, ComponentState.up("runs every " + task.interval().toMillis() + " ms"));
            } catch (Exception e) {
                // A pass fails while the database is away, say; it is logged once and tried again next time.
                String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!failure.equals(lastFailure)) {
                    LOG.warn("{} failed a pass, retrying every {} ms: {}", component, task.interval().toMillis(),
                            failure, e);
                    lastFailure = failure;
                }
            } catch (Error e) {
                bus.health().report(component, ComponentState.down("stopped by a bug: " + e));
                LOG.error("{} stopped by a bug", component, e);
                return;
            }
            pause(task.interval());
        }
    }

    private void pause(Duration interval) {
        try {
            wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.stop(wake::release, Duration.ofSeconds(10));
    }
}
