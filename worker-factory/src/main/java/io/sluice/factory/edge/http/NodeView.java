package io.sluice.factory.edge.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.factory.store.NodeStore.NodeUsage;
import io.sluice.factory.store.RegisteredNode;
import java.time.Instant;
import java.util.List;

/** A node of the registry as `GET /nodes` shows it. */
@Serdeable
public record NodeView(String nodeId, String hostname, List<String> targets, int slotsTotal, int slotsUsed,
                       boolean draining, boolean lost, String isolation, String version, String lastHeartbeatAt,
                       @Nullable String lostAt, String firstSeenAt) {

    static NodeView of(NodeUsage usage) {
        RegisteredNode node = usage.node();
        return new NodeView(node.nodeId(), node.hostname(), node.targets(), node.slotsTotal(), usage.slotsUsed(),
                node.draining(), !node.live(), node.isolation(), node.version(), text(node.lastHeartbeatAt()),
                text(node.lostAt()), text(node.firstSeenAt()));
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
