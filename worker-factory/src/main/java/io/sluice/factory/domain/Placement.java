package io.sluice.factory.domain;

/** The decision to put a demanded worker on a node. */
public record Placement(QueuedDemand demand, String nodeId) {
}
