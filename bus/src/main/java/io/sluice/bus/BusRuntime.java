package io.sluice.bus;

import io.sluice.bus.db.Transactions;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.outbox.Outbox;
import io.sluice.bus.outbox.OutboxSignal;
import io.sluice.schemas.TopicNaming;
import java.time.Clock;

/**
 * What the plumbing of one service instance shares: topic naming, its database transactions and outbox, health,
 * metrics, the clock, and the producer name stamped on every event it emits.
 */
public record BusRuntime(
        String producer,
        TopicNaming naming,
        Transactions transactions,
        Outbox outbox,
        OutboxSignal outboxSignal,
        ServiceHealth health,
        BusMetrics metrics,
        CrashPoints crashPoints,
        Clock clock) {
}
