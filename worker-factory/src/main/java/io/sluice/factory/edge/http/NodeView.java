package io.sluice.factory.edge.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.factory.store.NodeStore.NodeUsage;
import io.sluice.factory.store.RegisteredNode;
import java.time.Instant;
import java.util.List;

/**
 * A node of the registry as `GET /nodes` shows it; {@code cgroups} and {@code warnings} are those of its last
 * heartbeat, always in the JSON (null for no cgroups, an empty array for no warnings) so that a reader sees the
 * fields exist; the serde's default leaves out nulls and empty arrays.
 */
@Serdeable
public record NodeView(String nodeId, String hostname, List<String> targets, int slotsTotal, int slotsUsed,
                       boolean draining, boolean lost, String isolation,
                       @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String cgroups,
                       @JsonInclude(JsonInclude.Include.ALWAYS) List<String> warnings, String version, String lastHeartbeatAt,
                       @Nullable String lostAt, String firstSeenAt) {

    static NodeView of(NodeUsage usage) {
        RegisteredNode node = usage.node();
        return new NodeView(node.nodeId(), node.hostname(), node.targets(), node.slotsTotal(), usage.slotsUsed(),
                node.draining(), !node.live(), node.isolation(), node.cgroups(), node.warnings(), node.version(),
                text(node.lastHeartbeatAt()), text(node.lostAt()), text(node.firstSeenAt()));
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
