package io.sluice.well.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.sluice.bus.db.FrameworkTransactions;
import io.sluice.bus.db.Transactions;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.events.EventMetadata;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.IsolatedScopeExtension;
import io.sluice.well.edge.TransactionProbeConsumer;
import io.sluice.well.store.TransactionProbe;
import io.sluice.well.store.TransactionProbeRepository;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On the real well (broker, database, Micronaut context): a Micronaut Data repository and plain JDBC on the bus's
 * connection write in one transaction, the bus's, which commits both or rolls back both, in the consumer loop too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicronautDataTransactionsTest {

    @RegisterExtension
    static final IsolatedScopeExtension SCOPE = new IsolatedScopeExtension();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String SCHEMA = "resource_well";

    private ApplicationContext well;
    private Transactions transactions;
    private TransactionProbeRepository probes;

    @BeforeAll
    void startTheWell() {
        IsolatedScope scope = SCOPE.get();
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("sluice.kafka.bootstrap-servers", scope.bootstrapServers());
        properties.put("sluice.topic-prefix", scope.topicPrefix());
        properties.put("sluice.retry-interval", "1s");
        properties.put("datasources.default.url", scope.jdbcUrl());
        properties.put("datasources.default.username", scope.username());
        properties.put("datasources.default.password", scope.password());
        properties.put(TransactionProbeConsumer.SWITCH, "true");
        well = ApplicationContext.run(properties);
        BusSupervisor supervisor = well.getBean(BusSupervisor.class);
        await().atMost(DEADLINE).until(() -> supervisor.runtime() != null);
        transactions = supervisor.runtime().transactions();
        probes = well.getBean(TransactionProbeRepository.class);
    }

    @AfterAll
    void stopTheWell() {
        if (well != null) {
            well.close();
        }
    }

    @Test
    void the_bus_works_in_micronaut_data_transactions_and_its_own_sessions_use_the_pool_behind_the_data_source() {
        assertThat(well.getBean(FrameworkTransactions.class)).isInstanceOf(MicronautDataTransactions.class);
        assertThat(well.getBean(DataSource.class)).as("Micronaut Data's connection-per-transaction proxy")
                .isInstanceOf(DelegatingDataSource.class);
        assertThat(well.getBean(FrameworkTransactions.class).pool()).isNotInstanceOf(DelegatingDataSource.class);
    }

    @Test
    void a_repository_save_and_a_plain_jdbc_write_in_the_bus_transaction_commit_together() throws Exception {
        String id = "commits-" + UUID.randomUUID();

        transactions.inTransaction(connection -> {
            probes.save(new TransactionProbe(id, "repository"));
            insertPlain(connection, id + TransactionProbeConsumer.PLAIN_SUFFIX);
            // One connection, one transaction: each side reads what the other wrote and nobody else does yet.
            assertThat(writerOn(connection, id)).isEqualTo("repository");
            assertThat(probes.findById(id + TransactionProbeConsumer.PLAIN_SUFFIX))
                    .map(TransactionProbe::writtenBy).contains("plain jdbc");
            assertThat(committedRows(id)).isZero();
            return null;
        });

        assertThat(committedRows(id)).isEqualTo(2);
    }

    @Test
    void an_exception_in_the_bus_transaction_rolls_back_the_repository_save_and_the_plain_jdbc_write()
            throws Exception {
        String id = "rolls-back-" + UUID.randomUUID();
        // A serialization failure: the consumer loop retries it, so it must arrive as it was thrown, not wrapped.
        SQLException conflict = new SQLException("the work fails after both writes", "40001");

        assertThatThrownBy(() -> transactions.inTransaction(connection -> {
            probes.save(new TransactionProbe(id, "repository"));
            insertPlain(connection, id + TransactionProbeConsumer.PLAIN_SUFFIX);
            assertThat(writerOn(connection, id)).isEqualTo("repository");
            throw conflict;
        })).isSameAs(conflict);

        assertThat(committedRows(id)).isZero();
        assertThat(probes.findById(id)).isEmpty();
    }

    @Test
    void a_consumed_event_commits_its_repository_save_and_plain_write_with_its_processed_event_record()
            throws Exception {
        String id = "consumed-" + UUID.randomUUID();
        UUID eventId = produceCancelRequest(id, "the test cancels it");

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(committedRows(id)).isEqualTo(2));
        assertThat(processedEvents(eventId)).isOne();
    }

    @Test
    void a_consumed_event_whose_handler_fails_after_both_writes_leaves_neither_and_is_dead_lettered()
            throws Exception {
        String id = "fails-" + UUID.randomUUID();
        UUID failing = produceCancelRequest(id, TransactionProbeConsumer.FAIL_AFTER_WRITING);
        // An event behind it on the same partition is applied only once the failing one was set apart.
        String after = id + "-after";
        UUID next = produceCancelRequest(after, "the test cancels it", id);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(committedRows(after)).isEqualTo(2));
        assertThat(committedRows(id)).isZero();
        assertThat(processedEvents(failing)).isZero();
        assertThat(processedEvents(next)).isOne();
        assertThat(deadLetterRecordsKeyed(id)).isOne();
    }

    private UUID produceCancelRequest(String jobId, String reason) throws Exception {
        return produceCancelRequest(jobId, reason, jobId);
    }

    private UUID produceCancelRequest(String jobId, String reason, String key) throws Exception {
        UUID eventId = UUID.randomUUID();
        JobRequestEnvelope request = JobRequestEnvelope.newBuilder()
                .setMetadata(EventMetadata.newBuilder().setEventId(eventId).setOccurredAt(Instant.now())
                        .setCorrelationId(jobId).setCausationId(null).setProducer("well-test").build())
                .setPayload(JobCancelRequested.newBuilder().setJobId(jobId).setRequestedBy("well-test")
                        .setReason(reason).build())
                .build();
        IsolatedScope scope = SCOPE.get();
        String topic = new TopicNaming(scope.topicPrefix()).nameOf(Topic.JOB_REQUESTS);
        try (var producer = new KafkaProducer<byte[], byte[]>(scope.producerProperties())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    EventCodec.<JobRequestEnvelope>forTopic(Topic.JOB_REQUESTS).encode(request))).get();
        }
        return eventId;
    }

    private static void insertPlain(Connection connection, String id) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO transaction_probe (id, written_by) VALUES (?, 'plain jdbc')")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }

    private static String writerOn(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT written_by FROM transaction_probe WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** The probe rows of {@code id} (its repository row and its plain one) that a separate connection sees. */
    private static long committedRows(String id) throws SQLException {
        return count("SELECT count(*) FROM transaction_probe WHERE id IN (?, ?)", id,
                id + TransactionProbeConsumer.PLAIN_SUFFIX);
    }

    private static long processedEvents(UUID eventId) throws SQLException {
        return count("SELECT count(*) FROM bus_processed_event WHERE consumer = 'well.transaction-probe' "
                + "AND event_key = ?", eventId.toString());
    }

    private static long deadLetterRecordsKeyed(String key) throws SQLException {
        return count("SELECT count(*) FROM bus_outbox WHERE topic LIKE '%sluice.deadletter' "
                + "AND convert_from(record_key, 'UTF8') = ?", key);
    }

    private static long count(String sql, String... parameters) throws SQLException {
        try (Connection separate = SCOPE.get().connection(SCHEMA);
             PreparedStatement select = separate.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
