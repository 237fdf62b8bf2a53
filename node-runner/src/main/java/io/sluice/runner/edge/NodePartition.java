package io.sluice.runner.edge;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of `sluice.node.commands` that holds a node's commands: the one Kafka's default partitioner picks
 * for the node id as key, so a runner reads only that partition and joins no consumer group.
 */
public final class NodePartition {

    private NodePartition() {
    }

    public static int of(String nodeId, int partitions) {
        return Utils.toPositive(Utils.murmur2(nodeId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
