package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.node.DrainNode;
import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import io.sluice.schemas.Topic;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice admin drain} and {@code undrain} on the real broker, the test playing the node runner: it answers
 * the order with the heartbeat a runner sends once it applied it.
 */
class NodeDrainCommandsTest extends JobCommandsTestBase {

    @Test
    void drain_sends_the_order_waits_for_the_heartbeat_and_prints_what_still_runs_there() {
        beat("node-d1", false, List.of("job-a.1"));

        SluiceRun drain = SluiceRun.start(on("admin", "drain", "node-d1", "--reason", "kernel upgrade"));
        DrainNode order = harness.await(Topic.NODE_COMMANDS, "node-d1", DrainNode.class);
        assertThat(order.getDraining()).isTrue();
        assertThat(order.getReason()).isEqualTo("kernel upgrade");
        assertThat(order.getNodeId()).isEqualTo("node-d1");
        beat("node-d1", true, List.of("job-a.1"));

        assertThat(drain.awaitExit()).as(drain.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(drain.outLines()).containsExactly(
                "node node-d1 drains: it takes no new workers; 1 worker and 1 process still run there, and finish "
                        + "normally",
                "  worker job-a.1 (job job-a)");
    }

    @Test
    void undrain_waits_for_the_heartbeat_that_says_the_node_takes_work_again() {
        beat("node-d2", true, List.of());

        SluiceRun undrain = SluiceRun.start(on("admin", "undrain", "node-d2"));
        DrainNode order = harness.await(Topic.NODE_COMMANDS, "node-d2", DrainNode.class);
        assertThat(order.getDraining()).isFalse();
        beat("node-d2", false, List.of());

        assertThat(undrain.awaitExit()).as(undrain.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(undrain.outLines()).containsExactly("node node-d2 takes work again; nothing runs there");
    }

    @Test
    void with_no_wait_it_returns_once_the_broker_has_the_order() {
        beat("node-d3", false, List.of());

        SluiceRun drain = SluiceRun.run(on("admin", "drain", "node-d3", "--no-wait"));

        assertThat(drain.awaitExit()).as(drain.err()).isEqualTo(JobExitCodes.SUCCEEDED);
        assertThat(drain.outLines()).containsExactly(
                "asked node node-d3 to drain (its heartbeat says it once its runner applied the order)");
        assertThat(harness.await(Topic.NODE_COMMANDS, "node-d3", DrainNode.class).getDraining()).isTrue();
    }

    @Test
    void a_node_that_does_not_answer_within_the_timeout_ends_it_with_exit_code_three_and_says_why() {
        beat("node-d4", false, List.of());

        SluiceRun drain = SluiceRun.run(on("admin", "drain", "node-d4", "--timeout", "1s"));

        assertThat(drain.awaitExit()).isEqualTo(JobExitCodes.NO_ANSWER);
        assertThat(drain.err().lines().toList()).singleElement().asString()
                .startsWith("sluice admin drain: node node-d4 did not say it drains within 1.0 s (its last heartbeat, at ")
                .endsWith(", says draining=false): is its runner up? The order waits on " + scope.topicPrefix()
                        + "sluice.node.commands and applies when the runner reads it");
    }

    @Test
    void an_unknown_node_is_said_and_nothing_is_sent() {
        SluiceRun drain = SluiceRun.run(on("admin", "drain", "node-nowhere"));

        assertThat(drain.awaitExit()).isEqualTo(JobExitCodes.REJECTED_OR_USAGE);
        assertThat(drain.err().lines().toList()).containsExactly("sluice admin drain: no node 'node-nowhere' has "
                + "sent a heartbeat (topic " + scope.topicPrefix() + "sluice.node.heartbeats): check the node's id "
                + "('sluice nodes' lists the nodes); nothing was sent");
        assertThat(harness.payloadNames(Topic.NODE_COMMANDS, "node-nowhere")).isEmpty();
    }

    /** Plays the node runner's heartbeat. */
    private static void beat(String nodeId, boolean draining, List<String> workers) {
        harness.send(Topic.NODE_HEARTBEATS, nodeId, nodeId, NodeHeartbeat.newBuilder().setNodeId(nodeId)
                .setHostname("host").setTargets(List.of("linux")).setSlotsTotal(2).setSlotsUsed(workers.size())
                .setRunningProcesses(workers.size()).setWorkers(workers).setDraining(draining)
                .setIsolation(IsolationMode.RUNC).setWarnings(List.of()).setVersion("test")
                .setStartedAt(Instant.now()).setIntervalMillis(3000).build());
    }
}
