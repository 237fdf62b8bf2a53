package io.sluice.runner.edge;

import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.runner.publish.NodeHeartbeatPublisher;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Publishes the node's heartbeat on the compacted `sluice.node.heartbeats` every interval: what it serves, its
 * slots, its workers and processes, whether it drains, how it isolates. Factories treat silence as node loss.
 */
public final class SendHeartbeatsTask implements AutoCloseable {

    private static final String COMPONENT = "heartbeats";

    private final NodeHeartbeatPublisher publisher;
    private final Supplier<NodeHeartbeat> heartbeat;
    private final Duration interval;
    private final ServiceHealth health;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "node-heartbeats"));

    public SendHeartbeatsTask(NodeHeartbeatPublisher publisher, Supplier<NodeHeartbeat> heartbeat, Duration interval,
                              ServiceHealth health) {
        this.publisher = publisher;
        this.heartbeat = heartbeat;
        this.interval = interval;
        this.health = health;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::sendOne, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a heartbeat as soon as the task's thread is free, to say a change (a drain order) without waiting. */
    public void beatSoon() {
        try {
            scheduler.execute(this::sendOne);
        } catch (RejectedExecutionException closing) {
            // The runner is closing: no more heartbeats.
        }
    }

    /** Sends one heartbeat now; a failure is reported in health and the next one tries again. */
    void sendOne() {
        try {
            publisher.publish(heartbeat.get()).get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
            health.report(COMPONENT, ComponentState.up("every " + interval.toMillis() + " ms"));
        } catch (Exception e) {
            health.report(COMPONENT, ComponentState.down("cannot send heartbeats: " + e.getMessage()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
}
