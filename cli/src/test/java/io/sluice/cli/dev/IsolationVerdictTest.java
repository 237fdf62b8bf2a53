package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.sluice.events.node.IsolationMode;
import io.sluice.events.node.NodeHeartbeat;
import org.junit.jupiter.api.Test;

/** The line sluice dev prints from its node's heartbeat: isolated, or unisolated and why, always one bounded line. */
class IsolationVerdictTest {

    @Test
    void a_node_isolating_with_runc_runs_jobs_isolated() {
        assertThat(IsolationVerdict.of(heartbeat(IsolationMode.RUNC, List.of())))
                .isEqualTo("node-runner: jobs run isolated under runc");
    }

    @Test
    void an_isolating_node_says_which_cgroup_hierarchy_it_uses() {
        NodeHeartbeat heartbeat = heartbeat(IsolationMode.RUNC, List.of());
        heartbeat.setCgroups("v2");

        assertThat(IsolationVerdict.of(heartbeat)).isEqualTo("node-runner: jobs run isolated under runc (cgroup v2)");
    }

    @Test
    void an_unisolated_node_says_what_its_heartbeat_warns() {
        assertThat(IsolationVerdict.of(heartbeat(IsolationMode.NONE, List.of(
                "runc not found at /usr/sbin/runc: install Debian's runc to isolate jobs"))))
                .isEqualTo("node-runner: jobs run UNISOLATED: runc not found at /usr/sbin/runc: install Debian's "
                        + "runc to isolate jobs");
    }

    @Test
    void several_warnings_share_the_line_and_line_breaks_in_them_do_not_split_it() {
        String line = IsolationVerdict.of(heartbeat(IsolationMode.NONE, List.of("not root:\n run as root", " ",
                "no tini")));

        assertThat(line).isEqualTo("node-runner: jobs run UNISOLATED: not root: run as root; no tini");
    }

    @Test
    void an_unisolated_node_without_warnings_is_still_called_unisolated() {
        assertThat(IsolationVerdict.of(heartbeat(IsolationMode.NONE, List.of())))
                .isEqualTo("node-runner: jobs run UNISOLATED: its heartbeat gives no reason (its log above may)");
    }

    @Test
    void a_long_warning_is_cut_to_one_bounded_line() {
        String line = IsolationVerdict.of(heartbeat(IsolationMode.NONE, List.of("x".repeat(5000))));

        assertThat(line).hasSize(IsolationVerdict.MAX_LENGTH).startsWith("node-runner: jobs run UNISOLATED: xxx")
                .endsWith("x...");
    }

    @Test
    void no_heartbeat_in_time_is_said_with_the_last_problem_reading_them() {
        assertThat(IsolationVerdict.noHeartbeat(Duration.ofSeconds(120), "the broker at localhost:9 does not\nanswer"))
                .isEqualTo("node-runner: no heartbeat within 120 s, so sluice dev cannot say whether jobs run "
                        + "isolated (the node's log above says); reading the heartbeats: the broker at localhost:9 "
                        + "does not answer");
        assertThat(IsolationVerdict.noHeartbeat(Duration.ofSeconds(5), null)).isEqualTo("node-runner: no heartbeat "
                + "within 5 s, so sluice dev cannot say whether jobs run isolated (the node's log above says)");
    }

    static NodeHeartbeat heartbeat(IsolationMode isolation, List<String> warnings) {
        return heartbeat("node-1", isolation, warnings, Instant.now());
    }

    static NodeHeartbeat heartbeat(String nodeId, IsolationMode isolation, List<String> warnings, Instant startedAt) {
        return NodeHeartbeat.newBuilder().setNodeId(nodeId).setHostname("host").setTargets(List.of("linux"))
                .setSlotsTotal(2).setSlotsUsed(0).setRunningProcesses(0).setWorkers(List.of()).setDraining(false)
                .setIsolation(isolation).setWarnings(warnings).setVersion("test").setStartedAt(startedAt)
                .setIntervalMillis(3000).build();
    }
}
