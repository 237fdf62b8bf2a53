package io.sluice.well.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A probe row (test only, to be replaced by the well's own entities): proves a repository joins the bus's transaction. */
@MappedEntity("transaction_probe")
public record TransactionProbe(@Id String id, String writtenBy) {
}
