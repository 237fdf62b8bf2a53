package io.sluice.bus.consume;

import io.sluice.schemas.Topic;
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

    /** Applies the event's effect with {@code context}'s connection and emits follow-up events through it. */
    void handle(ConsumedEvent<V> event, HandlerContext context) throws Exception;
}
