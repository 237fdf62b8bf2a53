package io.sluice.bus.outbox;

import io.sluice.bus.LoopThread;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this instance's relay when any instance commits outbox rows to the schema, from the notification the outbox
 * trigger raises at commit: the in-process {@link OutboxSignal} only hears this instance's own commits, and the
 * relay lock may be held by another instance's relay. Notifications of this instance's own commits are skipped, as
 * the in-process signal announced them already. It holds one connection; without it the relay still finds the rows
 * on its idle poll, so a lost connection is logged and retried, not reported as a failure.
 */
public final class OutboxNotifications implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxNotifications.class);
    /** The channel the outbox trigger notifies (migration V2); the payload names the schema. */
    private static final String CHANNEL = "sluice_outbox";
    private static final Duration WAIT = Duration.ofMillis(500);

    private final DataSource dataSource;
    private final String schema;
    private final OutboxSignal signal;
    private final OutboxSessions ownSessions;
    private final Duration retryBackoff;
    private final LoopThread thread = new LoopThread("outbox-notifications", this::run);

    /** @param ownSessions the sessions of this instance's outbox, whose commits {@code signal} hears already */
    public OutboxNotifications(DataSource dataSource, String schema, OutboxSignal signal, OutboxSessions ownSessions,
                               Duration retryBackoff) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.signal = signal;
        this.ownSessions = ownSessions;
        this.retryBackoff = retryBackoff;
    }

    public void start() {
        thread.start();
    }

    private void run() {
        boolean warned = false;
        while (thread.running() && !Thread.currentThread().isInterrupted()) {
            try (Connection connection = dataSource.getConnection()) {
                listen(connection);
                warned = false;
            } catch (SQLException | RuntimeException e) {
                if (!warned) {
                    LOG.warn("cannot listen for outbox commits of other instances (the relay polls meanwhile): {}",
                            e.getMessage());
                    warned = true;
                }
                pause();
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        try {
            PGConnection postgres = connection.unwrap(PGConnection.class);
            signal.rowsCommitted(); // rows committed before the LISTEN took effect were never announced
            while (thread.running()) {
                PGNotification[] notifications = postgres.getNotifications((int) WAIT.toMillis());
                if (notifications != null && Arrays.stream(notifications).anyMatch(this::announcesOthersRows)) {
                    signal.rowsCommitted();
                }
            }
        } finally {
            unlisten(connection);
        }
    }

    private boolean announcesOthersRows(PGNotification notification) {
        return schema.equals(notification.getParameter()) && !ownSessions.isOwn(notification.getPID());
    }

    /** The connection goes back to the pool: one that kept listening would hold back PostgreSQL's notify queue. */
    private static void unlisten(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.debug("cannot unlisten, the connection is likely broken: {}", e.getMessage());
        }
    }

    private void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.stop(() -> { }, WAIT.plus(retryBackoff).plusSeconds(1));
    }
}
