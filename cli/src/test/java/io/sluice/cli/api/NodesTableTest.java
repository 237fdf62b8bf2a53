package io.sluice.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.Colour;
import io.sluice.cli.TerminalColour;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice nodes}' table from worker-factory's {@code GET /nodes}: how each node isolates jobs, with its cgroup
 * hierarchy, and under the table what the nodes warn of.
 */
class NodesTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadTimes TIMES = new ReadTimes(ZoneOffset.UTC, Instant.parse("2026-12-06T16:09:50Z"));
    private static final String UNISOLATED = "isolation is NONE (job processes run as plain host processes): runc not "
            + "found at /usr/sbin/runc; to isolate jobs, install runc (apt-get install runc)";

    /** A warning's newline and escape character become spaces: one line per warning, no escape codes from a node. */
    @Test
    void the_isolation_column_names_the_cgroup_hierarchy_and_the_warnings_follow_the_table() throws Exception {
        List<String> lines = NodesCommand.table(nodes(), TIMES, Colour.none());

        assertThat(lines).containsExactly(
                "NODE    HOST       TARGETS  SLOTS  STATE  ISOLATION             LAST HEARTBEAT        VERSION",
                "hybrid  a.example  linux    1/2    ready  runc (cgroup hybrid)  16:09:49 (1.0 s ago)  dev",
                "bare    b.example  linux    0/1    ready  none                  16:09:49 (1.0 s ago)  dev",
                "old     c.example  linux    0/1    ready  runc                  16:09:49 (1.0 s ago)  0.9",
                "bare: " + UNISOLATED,
                "bare: a second line with a newline [2J");
    }

    @Test
    void on_a_terminal_an_unisolated_node_and_each_warning_are_yellow() throws Exception {
        List<String> lines = NodesCommand.table(nodes(), TIMES, TerminalColour.on());

        assertThat(lines.get(2)).contains("\u001b[33mnone");
        assertThat(lines.get(1)).contains("runc (cgroup hybrid)").doesNotContain("\u001b[");
        assertThat(lines.get(4)).isEqualTo("\u001b[33mbare: " + UNISOLATED + "\u001b[0m");
    }

    private static List<JsonNode> nodes() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        nodes.add(node("hybrid", "a.example", 1, 2, "RUNC", "\"hybrid\"", "[]", "dev"));
        nodes.add(node("bare", "b.example", 0, 1, "NONE", "null",
                "[\"" + UNISOLATED + "\", \"a second line\\nwith a newline\\u001b[2J\"]", "dev"));
        // A factory older than cgroups and warnings leaves both out.
        nodes.add(JSON.readTree("{\"nodeId\":\"old\",\"hostname\":\"c.example\",\"targets\":[\"linux\"],"
                + "\"slotsTotal\":1,\"slotsUsed\":0,\"draining\":false,\"lost\":false,\"isolation\":\"RUNC\","
                + "\"version\":\"0.9\",\"lastHeartbeatAt\":\"2026-12-06T16:09:49Z\"}"));
        return nodes;
    }

    private static JsonNode node(String id, String host, int used, int total, String isolation, String cgroups,
                                 String warnings, String version) throws Exception {
        return JSON.readTree("{\"nodeId\":\"" + id + "\",\"hostname\":\"" + host + "\",\"targets\":[\"linux\"],"
                + "\"slotsTotal\":" + total + ",\"slotsUsed\":" + used + ",\"draining\":false,\"lost\":false,"
                + "\"isolation\":\"" + isolation + "\",\"cgroups\":" + cgroups + ",\"warnings\":" + warnings
                + ",\"version\":\"" + version + "\",\"lastHeartbeatAt\":\"2026-12-06T16:09:49Z\","
                + "\"lostAt\":null,\"firstSeenAt\":\"2026-12-06T16:00:00Z\"}");
    }
}
