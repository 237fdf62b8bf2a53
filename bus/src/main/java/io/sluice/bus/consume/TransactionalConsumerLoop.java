package io.sluice.bus.consume;

import io.sluice.bus.BusRuntime;
import io.sluice.bus.LoopThread;
import io.sluice.bus.deadletter.DeadLetters;
import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.CrashPoint;
import io.sluice.bus.metrics.BusMetrics.Outcome;
import io.sluice.bus.outbox.Outbox;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.UndecodableEventException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one topic and applies each event in a PostgreSQL transaction together with its processed-event record
 * and the events it emits (outbox); under load, consecutive events of one poll share a transaction. Kafka offsets
 * are committed after the transaction (at most once a second), so a crash in between redelivers events that the
 * processed-event record then skips. Undecodable records and events whose handler keeps failing are dead-lettered,
 * so no record stalls the loop.
 */
public final class TransactionalConsumerLoop<V extends SpecificRecordBase> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalConsumerLoop.class);

    private final BusRuntime bus;
    private final Consumer<byte[], byte[]> consumer;
    private final EventHandler<V> handler;
    private final ConsumerLoopSettings settings;
    private final EventCodec<V> codec;
    private final String component;
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private final LoopThread thread;
    private long lastCommit = System.nanoTime();

    public TransactionalConsumerLoop(BusRuntime bus, Consumer<byte[], byte[]> consumer, EventHandler<V> handler,
                                     ConsumerLoopSettings settings) {
        this.bus = bus;
        this.consumer = consumer;
        this.handler = handler;
        this.settings = settings;
        this.codec = EventCodec.forTopic(handler.topic());
        this.component = "consumer " + handler.consumerName();
        this.thread = new LoopThread(handler.consumerName(), this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        String topicName = bus.naming().nameOf(handler.topic());
        try {
            consumer.subscribe(List.of(topicName), new CommitOnRevoke());
            bus.health().report(component, ComponentState.up("consuming " + topicName));
            while (thread.running()) {
                applyAll(consumer.poll(settings.pollTimeout()));
                if (System.nanoTime() - lastCommit >= settings.commitInterval().toNanos()) {
                    // Offsets only spare a restart from re-reading: the processed-event records make a re-read
                    // harmless, so committing once a second rather than after every poll saves the broker work.
                    commitProcessed();
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            LOG.debug("{} stopping", component);
        } catch (RuntimeException | Error e) {
            closeConsumer();
            bus.health().report(component, ComponentState.down("loop died: " + e));
            throw e;
        }
        closeConsumer();
        bus.health().report(component, ComponentState.down("stopped"));
    }

    /**
     * Applies a poll's records in order: runs of decodable records together in one transaction, which saves a commit
     * and a relay round per event under load. A run that fails is halved until the failing event stands alone, so
     * that it is retried or dead-lettered on its own while the others still share transactions. Each record is
     * decoded once.
     */
    private void applyAll(Iterable<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException {
        List<Decoded<V>> decoded = new ArrayList<>();
        records.forEach(record -> decoded.add(decode(record)));
        int next = 0;
        while (next < decoded.size() && thread.running()) {
            Decoded<V> first = decoded.get(next);
            if (first.error() != null) {
                if (!retrying(first.record(), () -> deadLetter(first.record(), first.error()), false)) {
                    return;
                }
                markProcessed(first.record());
                next++;
                continue;
            }
            List<Decoded<V>> run = decodableRun(decoded, next);
            if (!applyRun(run)) {
                return;
            }
            next += run.size();
        }
    }

    /**
     * Applies the run's events that concern the handler together, or halves the run when that fails; false only when
     * the loop was stopped. A run that concerns the handler not at all costs no transaction.
     */
    private boolean applyRun(List<Decoded<V>> run) throws InterruptedException {
        List<Decoded<V>> concerned = run.stream().filter(decoded -> handler.concerns(decoded.envelope())).toList();
        if (concerned.isEmpty()) {
            run.forEach(decoded -> markProcessed(decoded.record()));
            bus.metrics().consumed(handler.consumerName(), Outcome.NOT_CONCERNED, run.size());
            return true;
        }
        if (run.size() == 1) {
            Decoded<V> single = run.getFirst();
            if (!retrying(single.record(), () -> apply(single.record(), single.envelope()), true)) {
                return false;
            }
            markProcessed(single.record());
            return true;
        }
        if (applyTogether(concerned)) {
            run.forEach(decoded -> markProcessed(decoded.record()));
            bus.metrics().consumed(handler.consumerName(), Outcome.NOT_CONCERNED, run.size() - concerned.size());
            return true;
        }
        int half = run.size() / 2;
        return applyRun(run.subList(0, half)) && applyRun(run.subList(half, run.size()));
    }

    /** A record with its event, or with why it cannot be decoded. */
    private record Decoded<V>(ConsumerRecord<byte[], byte[]> record, V envelope, UndecodableEventException error) {
    }

    private Decoded<V> decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return new Decoded<>(record, codec.decode(record.value()), null);
        } catch (UndecodableEventException e) {
            return new Decoded<>(record, null, e);
        }
    }

    /** The decoded records from {@code from} on, up to the first undecodable one or the transaction's limit. */
    private List<Decoded<V>> decodableRun(List<Decoded<V>> decoded, int from) {
        int end = from;
        while (end < decoded.size() && decoded.get(end).error() == null
                && end - from < settings.maxEventsPerTransaction()) {
            end++;
        }
        return decoded.subList(from, end);
    }

    /** Applies the run in one transaction; false (and nothing applied) when any of its events failed. */
    private boolean applyTogether(List<Decoded<V>> run) {
        List<Outcome> outcomes = new ArrayList<>();
        List<Runnable> committed = new ArrayList<>();
        boolean emitted;
        try {
            emitted = bus.transactions().inTransaction(connection -> {
                outcomes.clear();
                committed.clear();
                // One statement marks the whole run; a copy of an event within the run counts as a duplicate.
                Set<String> firstDeliveries = ProcessedEvents.markFirstDeliveries(connection, handler.consumerName(),
                        run.stream().map(decoded -> eventIdOf(decoded.envelope())).toList());
                List<ConsumedEvent<V>> events = new ArrayList<>();
                for (Decoded<V> decoded : run) {
                    boolean first = firstDeliveries.remove(eventIdOf(decoded.envelope()));
                    if (first) {
                        events.add(consumed(decoded.record(), decoded.envelope()));
                    } else {
                        skipped(decoded.record(), decoded.envelope());
                    }
                    outcomes.add(first ? Outcome.APPLIED : Outcome.DUPLICATE);
                }
                // The run's events reach the outbox in one statement, in the order they were emitted.
                List<Outbox.Row> pending = new ArrayList<>();
                if (!events.isEmpty()) {
                    handler.beforeBatch(events, new TransactionContext(bus, connection, null, pending, committed));
                }
                for (ConsumedEvent<V> event : events) {
                    handleIn(connection, event, pending, committed);
                }
                bus.outbox().write(connection, pending);
                return !pending.isEmpty();
            });
        } catch (Exception e) {
            LOG.debug("{} splits a batch of {} events after: {}", component, run.size(), e.toString());
            return false;
        }
        afterCommit(emitted);
        committed.forEach(Runnable::run);
        outcomes.forEach(outcome -> bus.metrics().consumed(handler.consumerName(), outcome));
        return true;
    }

    private void markProcessed(ConsumerRecord<byte[], byte[]> record) {
        processed.put(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, V envelope) throws Exception {
        TransactionContext applied = bus.transactions().inTransaction(
                connection -> applyIn(connection, record, envelope));
        afterCommit(applied != null && applied.emitted());
        if (applied != null) {
            applied.runCommitted();
        }
        bus.metrics().consumed(handler.consumerName(), applied == null ? Outcome.DUPLICATE : Outcome.APPLIED);
    }

    /** The event's effect inside the caller's transaction: the context it ran in, or null when handled before. */
    private TransactionContext applyIn(Connection connection, ConsumerRecord<byte[], byte[]> record, V envelope)
            throws Exception {
        if (!ProcessedEvents.markFirstDelivery(connection, handler.consumerName(), eventIdOf(envelope))) {
            return skipped(record, envelope);
        }
        TransactionContext context = handleIn(connection, consumed(record, envelope), new ArrayList<>(),
                new ArrayList<>());
        context.flush();
        return context;
    }

    private TransactionContext skipped(ConsumerRecord<byte[], byte[]> record, V envelope) {
        LOG.debug("{} skips {} at {}/{}@{}: already handled", component, eventIdOf(envelope), record.topic(),
                record.partition(), record.offset());
        return null;
    }

    /**
     * Handles an event marked as delivered the first time, inside the caller's transaction; what it emits joins
     * {@code pending}, which the caller writes to the outbox before it commits, and what it wants done once the
     * transaction committed joins {@code committed}.
     */
    private TransactionContext handleIn(Connection connection, ConsumedEvent<V> event, List<Outbox.Row> pending,
                                        List<Runnable> committed) throws Exception {
        TransactionContext context = new TransactionContext(bus, connection,
                event.metadata().getEventId().toString(), pending, committed);
        handler.handle(event, context);
        bus.crashPoints().reached(CrashPoint.CONSUMED_BEFORE_DB_COMMIT);
        return context;
    }

    private ConsumedEvent<V> consumed(ConsumerRecord<byte[], byte[]> record, V envelope) {
        return new ConsumedEvent<>(envelope, Envelopes.metadataOf(envelope), keyOf(record), record.topic(),
                record.partition(), record.offset(), record.value(), record.headers());
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception error) throws Exception {
        LOG.warn("{} dead-letters {}/{}@{}: {}", component, record.topic(), record.partition(), record.offset(),
                error.getMessage());
        String recordKey = "record:" + record.topic() + "/" + record.partition() + "@" + record.offset();
        boolean emitted = bus.transactions().inTransaction(connection -> {
            if (!ProcessedEvents.markFirstDelivery(connection, handler.consumerName(), recordKey)) {
                return false;
            }
            bus.outbox().append(connection, Topic.DEAD_LETTER, record.key(), DeadLetters.envelopeFor(record, error,
                    handler.consumerName(), bus.producer(), bus.clock().instant()));
            return true;
        });
        afterCommit(emitted);
        bus.metrics().consumed(handler.consumerName(), emitted ? Outcome.DEAD_LETTERED : Outcome.DUPLICATE);
        if (emitted) {
            bus.metrics().deadLettered(handler.consumerName(), handler.topic().topicName());
        }
    }

    private void afterCommit(boolean emitted) {
        bus.crashPoints().reached(CrashPoint.DB_COMMITTED_BEFORE_PUBLISH);
        if (emitted) {
            bus.outboxSignal().rowsCommitted();
        }
    }

    /**
     * Work on one record: retried while the database is unreachable or its transaction conflicts, dead-lettered when
     * it keeps failing.
     */
    @FunctionalInterface
    private interface RecordWork {
        void run() throws Exception;
    }

    private boolean retrying(ConsumerRecord<byte[], byte[]> record, RecordWork work, boolean deadLetterWhenFailing)
            throws InterruptedException {
        int failures = 0;
        while (thread.running()) {
            try {
                work.run();
                bus.health().report(component, ComponentState.up("consuming " + record.topic()));
                return true;
            } catch (Exception e) {
                if (isDatabaseUnavailable(e)) {
                    bus.health().report(component, ComponentState.down("database unavailable: " + e.getMessage()));
                } else if (isTransactionConflict(e)) {
                    // PostgreSQL aborted the transaction to break a deadlock or keep it serializable: the event is
                    // fine and a retry applies it, so this does not count toward dead-lettering.
                    LOG.info("{} retries {}/{}@{} after a transaction conflict: {}", component, record.topic(),
                            record.partition(), record.offset(), e.toString());
                } else if (!deadLetterWhenFailing) {
                    bus.health().report(component, ComponentState.down("cannot dead-letter " + record.topic() + "/"
                            + record.partition() + "@" + record.offset() + ": " + e));
                } else if (++failures >= settings.maxHandlerAttempts()) {
                    return retrying(record, () -> deadLetter(record, e), false);
                } else {
                    LOG.warn("{} failed on {}/{}@{} (attempt {}): {}", component, record.topic(), record.partition(),
                            record.offset(), failures, e.toString());
                }
                Thread.sleep(settings.retryBackoff().toMillis());
            }
        }
        return false;
    }

    private static boolean isDatabaseUnavailable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** serialization_failure (40001) or deadlock_detected (40P01): transient by definition. */
    private static boolean isTransactionConflict(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState())
                    || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static String eventIdOf(SpecificRecordBase envelope) {
        return Envelopes.metadataOf(envelope).getEventId().toString();
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private void commitProcessed() {
        if (!processed.isEmpty()) {
            consumer.commitSync(Map.copyOf(processed));
            processed.clear();
        }
        lastCommit = System.nanoTime();
    }

    private void closeConsumer() {
        try {
            commitProcessed();
        } catch (RuntimeException e) {
            LOG.warn("{} could not commit its last offsets; their events will be skipped as duplicates: {}",
                    component, e.toString());
        }
        consumer.close();
    }

    /** Stops after the record in flight and commits the offsets of the records it applied. */
    @Override
    public void close() throws InterruptedException {
        thread.stop(consumer::wakeup, Duration.ofSeconds(30));
    }

    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitProcessed();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
