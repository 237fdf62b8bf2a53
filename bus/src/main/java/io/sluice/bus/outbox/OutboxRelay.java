package io.sluice.bus.outbox;

import io.sluice.bus.LoopThread;
import io.sluice.bus.db.Transactions;
import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.CrashPoint;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.metrics.BusMetrics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows in id order and marks them published only after the broker acknowledged them.
 * A crash between the two publishes those rows again on restart: consumers drop the copies by event id.
 * One relay per schema works at a time (an advisory lock), so a second instance never reorders a key's events.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String COMPONENT = "outbox-relay";
    private static final String LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('sluice.bus_outbox.' || current_schema()))";
    private static final String SELECT_UNPUBLISHED =
            "SELECT id, topic, record_key, record_value FROM bus_outbox WHERE published_at IS NULL ORDER BY id LIMIT ?";
    private static final String MARK_PUBLISHED = "UPDATE bus_outbox SET published_at = now() WHERE id = ANY (?)";

    private final Transactions transactions;
    private final Producer<byte[], byte[]> producer;
    private final OutboxSignal signal;
    private final ServiceHealth health;
    private final CrashPoints crashPoints;
    private final BusMetrics metrics;
    private final RelaySettings settings;
    private final LoopThread thread = new LoopThread(COMPONENT, this::run);

    /** How the relay batches and how long it waits when there is nothing to publish or publishing fails. */
    public record RelaySettings(int batchSize, Duration idlePoll, Duration retryBackoff, Duration ackTimeout) {
        public static RelaySettings defaults() {
            return new RelaySettings(500, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    public OutboxRelay(Transactions transactions, Producer<byte[], byte[]> producer, OutboxSignal signal,
                       ServiceHealth health, CrashPoints crashPoints, BusMetrics metrics, RelaySettings settings) {
        this.transactions = transactions;
        this.producer = producer;
        this.signal = signal;
        this.health = health;
        this.crashPoints = crashPoints;
        this.metrics = metrics;
        this.settings = settings;
    }

    public void start() {
        thread.start();
    }

    private void run() {
        health.report(COMPONENT, ComponentState.up("publishing"));
        try {
            while (thread.running()) {
                relayOrBackOff();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            health.report(COMPONENT, ComponentState.down("relay died: " + e));
            throw e;
        }
    }

    private void relayOrBackOff() throws InterruptedException {
        try {
            int published = relayOnce();
            health.report(COMPONENT, ComponentState.up("publishing"));
            if (published == 0) {
                signal.await(settings.idlePoll());
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            health.report(COMPONENT, ComponentState.down("cannot publish outbox rows: " + e.getMessage()));
            LOG.debug("outbox relay pass failed", e);
            signal.await(settings.retryBackoff());
        }
    }

    /** Publishes one batch; returns how many rows it published (0 when idle or another instance holds the lock). */
    public int relayOnce() throws Exception {
        return transactions.inTransaction(connection -> {
            if (!holdsRelayLock(connection)) {
                return 0;
            }
            List<Long> ids = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT_UNPUBLISHED)) {
                select.setInt(1, settings.batchSize());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                        acks.add(producer.send(new ProducerRecord<>(rows.getString(2), rows.getBytes(3), rows.getBytes(4))));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            crashPoints.reached(CrashPoint.PUBLISHED_BEFORE_MARKED);
            markPublished(connection, ids);
            metrics.published(ids.size());
            return ids.size();
        });
    }

    private static boolean holdsRelayLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK); ResultSet result = lock.executeQuery()) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private static void markPublished(Connection connection, List<Long> ids) throws SQLException {
        Array idArray = connection.createArrayOf("bigint", ids.toArray());
        try (PreparedStatement mark = connection.prepareStatement(MARK_PUBLISHED)) {
            mark.setArray(1, idArray);
            mark.executeUpdate();
        }
    }

    /** Stops after the batch in flight; rows not yet marked are published again by the next relay. */
    @Override
    public void close() throws InterruptedException {
        thread.stop(signal::rowsCommitted, settings.ackTimeout().plusSeconds(5));
        health.report(COMPONENT, ComponentState.down("stopped"));
    }
}
