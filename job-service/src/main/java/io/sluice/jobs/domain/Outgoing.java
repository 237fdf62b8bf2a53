package io.sluice.jobs.domain;

import io.sluice.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;

/** An event or command the saga decided to send: its topic, its key and its payload (the edge adds metadata). */
public record Outgoing(Topic topic, String key, SpecificRecord payload) {
}
