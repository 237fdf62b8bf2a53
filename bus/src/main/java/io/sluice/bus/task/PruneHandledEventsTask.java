package io.sluice.bus.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the plumbing tables from growing without end: deletes processed-event records older than the dedup
 * retention and outbox rows published longer ago than the outbox retention, in small batches. The dedup retention
 * must outlast the topics' own (7 days), so a replay from the oldest offset still finds every event handled.
 */
public final class PruneHandledEventsTask implements PeriodicTask {

    private static final int BATCH = 5_000;

    private final Duration interval;
    private final Duration processedEventRetention;
    private final Duration publishedOutboxRetention;

    public PruneHandledEventsTask(Duration interval, Duration processedEventRetention,
                                  Duration publishedOutboxRetention) {
        this.interval = interval;
        this.processedEventRetention = processedEventRetention;
        this.publishedOutboxRetention = publishedOutboxRetention;
    }

    @Override
    public String name() {
        return "prune-handled-events";
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runOnce(TaskContext context) throws Exception {
        Instant now = context.now();
        Timestamp handledBefore = Timestamp.from(now.minus(processedEventRetention));
        Timestamp publishedBefore = Timestamp.from(now.minus(publishedOutboxRetention));
        while (context.inTransaction(tx -> deleteBatch(tx.connection(), "DELETE FROM bus_processed_event WHERE ctid "
                + "IN (SELECT ctid FROM bus_processed_event WHERE processed_at < ? LIMIT " + BATCH + ")",
                handledBefore)) == BATCH) {
            // another batch
        }
        while (context.inTransaction(tx -> deleteBatch(tx.connection(), "DELETE FROM bus_outbox WHERE id IN "
                + "(SELECT id FROM bus_outbox WHERE published_at < ? ORDER BY id LIMIT " + BATCH + ")",
                publishedBefore)) == BATCH) {
            // another batch
        }
    }

    private static int deleteBatch(Connection connection, String sql, Timestamp before) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setTimestamp(1, before);
            return delete.executeUpdate();
        }
    }
}
