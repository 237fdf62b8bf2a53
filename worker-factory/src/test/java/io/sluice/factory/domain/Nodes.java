package io.sluice.factory.domain;

import java.util.Set;

/** Node capacities for placement tests, built like sentences: {@code aNode("n1").serving("linux").using(1, 4)}. */
final class Nodes {

    private String nodeId;
    private Set<String> targets = Set.of("linux");
    private int used;
    private int total = 1;
    private boolean draining;
    private boolean live = true;

    static Nodes aNode(String nodeId) {
        Nodes node = new Nodes();
        node.nodeId = nodeId;
        return node;
    }

    Nodes serving(String... targets) {
        this.targets = Set.of(targets);
        return this;
    }

    Nodes using(int used, int total) {
        this.used = used;
        this.total = total;
        return this;
    }

    Nodes draining() {
        this.draining = true;
        return this;
    }

    Nodes lost() {
        this.live = false;
        return this;
    }

    NodeCapacity build() {
        return new NodeCapacity(nodeId, targets, total, used, draining, live);
    }
}
