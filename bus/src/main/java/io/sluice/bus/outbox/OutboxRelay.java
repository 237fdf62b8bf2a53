package io.sluice.bus.outbox;

import io.sluice.bus.LoopThread;
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
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed outbox rows in id order and marks them published only after the broker acknowledged them.
 * A crash between the two publishes those rows again on restart: consumers drop the copies by event id.
 *
 * <p>One relay per schema works at a time, so a second instance never reorders a key's events: the leader holds a
 * session advisory lock on a connection it keeps, and each pass is then one round trip when there is nothing to
 * publish and two when there is: marking a batch published also reads the next one (a lock taken per pass cost a
 * transaction of three or four round trips). The others try to take the lock on each pass and find nothing to do
 * until the leader stops or its session ends.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String COMPONENT = "outbox-relay";
    private static final String LOCK_KEY = "hashtext('sluice.bus_outbox.' || current_schema())";
    private static final String TRY_LEAD = "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")";
    private static final String STOP_LEADING = "SELECT pg_advisory_unlock(" + LOCK_KEY + ")";
    /**
     * The server notices a leader whose host vanished without closing its connection after about 25 s instead of
     * the operating system's default of hours, and frees the lock for another instance.
     */
    private static final List<String> DEAD_PEER_DETECTION = List.of("SET tcp_keepalives_idle = 10",
            "SET tcp_keepalives_interval = 5", "SET tcp_keepalives_count = 3");
    private static final String SELECT_UNPUBLISHED =
            "SELECT id, topic, record_key, record_value FROM bus_outbox WHERE published_at IS NULL ORDER BY id LIMIT ?";
    private static final String MARK_PUBLISHED_AND_SELECT_NEXT =
            "UPDATE bus_outbox SET published_at = now() WHERE id = ANY (?); " + SELECT_UNPUBLISHED;

    private final DataSource dataSource;
    private final Producer<byte[], byte[]> producer;
    private final OutboxSignal signal;
    private final ServiceHealth health;
    private final CrashPoints crashPoints;
    private final BusMetrics metrics;
    private final RelaySettings settings;
    private final LoopThread thread = new LoopThread(COMPONENT, this::run);
    /** The session holding the relay lock while this relay leads; only the relay's thread touches it. */
    private Connection leading;
    /** The next batch, read with the last mark; null when the next pass must read it itself. */
    private List<Unpublished> next;

    /** An outbox row not yet published. */
    private record Unpublished(long id, String topic, byte[] key, byte[] value) {
    }

    /** How the relay batches and how long it waits when there is nothing to publish or publishing fails. */
    public record RelaySettings(int batchSize, Duration idlePoll, Duration retryBackoff, Duration ackTimeout) {
        public static RelaySettings defaults() {
            return new RelaySettings(500, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(30));
        }
    }

    public OutboxRelay(DataSource dataSource, Producer<byte[], byte[]> producer, OutboxSignal signal,
                       ServiceHealth health, CrashPoints crashPoints, BusMetrics metrics, RelaySettings settings) {
        this.dataSource = dataSource;
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
        } finally {
            stopLeading();
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
            stopLeading();
            health.report(COMPONENT, ComponentState.down("cannot publish outbox rows: " + e.getMessage()));
            LOG.debug("outbox relay pass failed", e);
            signal.await(settings.retryBackoff());
        }
    }

    /** Publishes one batch; returns how many rows it published (0 when idle or another instance leads). */
    private int relayOnce() throws Exception {
        Connection connection = leadingSession();
        if (connection == null) {
            return 0;
        }
        List<Unpublished> batch = next != null ? next : unpublished(connection);
        next = null;
        if (batch.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Unpublished row : batch) {
            acks.add(producer.send(new ProducerRecord<>(row.topic(), row.key(), row.value())));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        crashPoints.reached(CrashPoint.PUBLISHED_BEFORE_MARKED);
        next = markPublishedAndReadNext(connection, batch);
        metrics.published(batch.size());
        return batch.size();
    }

    private List<Unpublished> unpublished(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_UNPUBLISHED)) {
            select.setInt(1, settings.batchSize());
            try (ResultSet rows = select.executeQuery()) {
                return read(rows);
            }
        }
    }

    /** Marks {@code batch} published and reads the next batch, in one round trip. */
    private List<Unpublished> markPublishedAndReadNext(Connection connection, List<Unpublished> batch)
            throws SQLException {
        Array ids = connection.createArrayOf("bigint", batch.stream().map(Unpublished::id).toArray());
        try (PreparedStatement markAndSelect = connection.prepareStatement(MARK_PUBLISHED_AND_SELECT_NEXT)) {
            markAndSelect.setArray(1, ids);
            markAndSelect.setInt(2, settings.batchSize());
            markAndSelect.execute(); // the update's count first
            if (!markAndSelect.getMoreResults()) {
                throw new SQLException("the outbox read after marking rows published returned no rows");
            }
            try (ResultSet rows = markAndSelect.getResultSet()) {
                return read(rows);
            }
        }
    }

    private static List<Unpublished> read(ResultSet rows) throws SQLException {
        List<Unpublished> batch = new ArrayList<>();
        while (rows.next()) {
            batch.add(new Unpublished(rows.getLong(1), rows.getString(2), rows.getBytes(3), rows.getBytes(4)));
        }
        return batch;
    }

    /** The session that holds the relay lock: kept from an earlier pass, or newly won; null if another leads. */
    private Connection leadingSession() throws SQLException {
        if (leading != null) {
            return leading;
        }
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            if (tryLock(connection)) {
                try (Statement statement = connection.createStatement()) {
                    for (String setting : DEAD_PEER_DETECTION) {
                        statement.execute(setting);
                    }
                }
                leading = connection;
                signal.relayLeads(true);
                LOG.info("this instance's outbox relay leads");
                return connection;
            }
        } catch (SQLException | RuntimeException e) {
            unlockAndClose(connection);
            throw e;
        }
        connection.close();
        return null;
    }

    private void stopLeading() {
        next = null;
        signal.relayLeads(false);
        if (leading != null) {
            unlockAndClose(leading);
            leading = null;
        }
    }

    /** Gives the lock back before the session returns to the pool, where it would otherwise keep it. */
    private static void unlockAndClose(Connection connection) {
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute(STOP_LEADING);
        } catch (SQLException e) {
            // A broken session: its end frees the lock, and the pool drops the connection.
            LOG.debug("cannot release the relay lock: {}", e.getMessage());
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(TRY_LEAD); ResultSet result = lock.executeQuery()) {
            result.next();
            return result.getBoolean(1);
        }
    }

    /** Stops after the batch in flight; rows not yet marked are published again by the next relay. */
    @Override
    public void close() throws InterruptedException {
        thread.stop(signal::rowsCommitted, settings.ackTimeout().plusSeconds(5));
        health.report(COMPONENT, ComponentState.down("stopped"));
    }
}
