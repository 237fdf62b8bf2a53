package io.sluice.factory.edge;

import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.factory.config.FactorySettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/** Every interval, declares lost the nodes that sent no heartbeat for `sluice.factory.node-lost-after`. */
@Singleton
public final class ExpireLostNodesTask implements PeriodicTask {

    private final DeclareSilentNodesLost declare;
    private final Duration interval;
    private Instant listeningSince;

    public ExpireLostNodesTask(DeclareSilentNodesLost declare, FactorySettings settings) {
        this.declare = declare;
        this.interval = settings.lostNodeCheckInterval();
    }

    @Override
    public String name() {
        return "expire-lost-nodes";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        // The plumbing starts the consumers and this task together: silence counts from the first pass at the earliest.
        Instant now = context.now();
        if (listeningSince == null) {
            listeningSince = now;
        }
        context.inTransaction(transaction -> declare.declare(transaction, now, listeningSince));
    }
}
