package io.sluice.bus.consume;

import io.sluice.schemas.Topic;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A service's reaction to one topic's events. It runs inside the transaction that also records the event as
 * handled and holds the events it emits, so its effect happens exactly once or not at all.
 */
public interface EventHandler<V extends SpecificRecordBase> {

    /** The topic this handler consumes. */
    Topic topic();

    /** The consumer's stable name: its Kafka group id and its namespace in the processed-event table. */
    String consumerName();

    /**
     * Whether the event is this handler's business at all (a topic carries events for several services). One that is
     * not is passed over without a transaction: nothing applied, no processed-event record. All are by default.
     */
    default boolean concerns(V envelope) {
        return true;
    }

    /** Applies the event's effect with {@code context}'s connection and emits follow-up events through it. */
    void handle(ConsumedEvent<V> event, HandlerContext context) throws Exception;

    /**
     * Runs first in a transaction that applies several events together, with those events (duplicates left out). A
     * handler that locks a row per event locks all of them here, in an order every transaction shares, so that the
     * batches of two consumers cannot deadlock by taking the same rows in opposite orders. Nothing by default.
     */
    default void beforeBatch(List<ConsumedEvent<V>> events, HandlerContext context) throws Exception {
    }
}
