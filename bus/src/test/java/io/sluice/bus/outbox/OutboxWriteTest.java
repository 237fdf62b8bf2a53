package io.sluice.bus.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.db.BusSchema;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestInfra;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The outbox writes a transaction's rows in order, a hundred per statement, and knows the sessions it wrote in; while
 * its instance's relay leads, its commits raise no notification.
 */
class OutboxWriteTest {

    private static final String SCHEMA = "outbox_write";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private IsolatedScope scope;
    private final OutboxSignal signal = new OutboxSignal();
    private final Outbox outbox = new Outbox(new TopicNaming("t."), signal);

    @BeforeEach
    void migrate() {
        scope = TestInfra.shared().isolate("outbox-write");
        BusSchema.migrate(scope.dataSource(), SCHEMA, null);
    }

    @AfterEach
    void close() throws Exception {
        scope.close();
    }

    @Test
    void rows_written_together_keep_their_order_across_statements() throws Exception {
        List<Outbox.Row> rows = IntStream.range(0, 250).mapToObj(i -> row("event-" + i)).toList();
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            outbox.write(connection, rows);
            connection.commit();
            List<String> stored = new ArrayList<>();
            try (Statement select = connection.createStatement();
                 ResultSet result = select.executeQuery("SELECT event_id FROM bus_outbox ORDER BY id")) {
                while (result.next()) {
                    stored.add(result.getString(1));
                }
            }
            assertThat(stored).containsExactlyElementsOf(rows.stream().map(Outbox.Row::eventId).toList());
        }
    }

    @Test
    void the_commit_notification_of_its_own_session_is_known_as_its_own() throws Exception {
        try (Connection listener = connection(); Connection own = connection(); Connection other = connection()) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN sluice_outbox");
            }
            outbox.write(own, List.of(row("own")));
            try (Statement insert = other.createStatement()) {
                insert.execute("INSERT INTO bus_outbox (topic, record_key, record_value, event_id) "
                        + "VALUES ('t.x', NULL, 'v'::bytea, 'other')");
            }
            List<PGNotification> notifications = awaitNotifications(listener, 2);
            assertThat(notifications).extracting(PGNotification::getParameter).containsOnly(SCHEMA);
            assertThat(notifications.get(0).getPID()).isEqualTo(backendPid(own));
            assertThat(outbox.sessions().isOwn(notifications.get(0).getPID())).isTrue();
            assertThat(notifications.get(1).getPID()).isEqualTo(backendPid(other));
            assertThat(outbox.sessions().isOwn(notifications.get(1).getPID())).isFalse();
        }
    }

    @Test
    void a_commit_made_while_the_instances_own_relay_leads_notifies_no_one() throws Exception {
        try (Connection listener = connection(); Connection leading = connection();
             Connection notLeading = connection()) {
            try (Statement listen = listener.createStatement()) {
                listen.execute("LISTEN sluice_outbox");
            }
            signal.relayLeads(true);
            outbox.write(leading, List.of(row("while-leading")));
            signal.relayLeads(false);
            outbox.write(notLeading, List.of(row("not-leading")));

            // Notifications arrive in commit order: had the first commit notified, its notification would come first.
            List<PGNotification> notifications = awaitNotifications(listener, 1);
            assertThat(notifications.getFirst().getPID()).isEqualTo(backendPid(notLeading));
            try (Statement select = listener.createStatement();
                 ResultSet result = select.executeQuery("SELECT count(*) FROM bus_outbox")) {
                result.next();
                assertThat(result.getInt(1)).isEqualTo(2);
            }
            assertThat(outbox.sessions().isOwn(backendPid(leading))).isTrue();
        }
    }

    private Connection connection() throws Exception {
        return scope.connection(SCHEMA);
    }

    private static Outbox.Row row(String eventId) {
        return new Outbox.Row("t.x", eventId.getBytes(StandardCharsets.UTF_8),
                eventId.getBytes(StandardCharsets.UTF_8), eventId);
    }

    private static List<PGNotification> awaitNotifications(Connection listener, int count) throws Exception {
        List<PGNotification> received = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(500);
            if (batch != null) {
                received.addAll(List.of(batch));
            }
        }
        return received;
    }

    private static int backendPid(Connection connection) throws Exception {
        try (Statement select = connection.createStatement();
             ResultSet result = select.executeQuery("SELECT pg_backend_pid()")) {
            result.next();
            return result.getInt(1);
        }
    }
}
