package io.sluice.cli.api;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.Colour;
import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.JobExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice nodes}: the node registry of worker-factory, from its {@code GET /nodes}. */
@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the nodes worker-factory knows (GET /nodes): their targets, slots used of their slots, whether "
                    + "they are ready, draining or lost, how they isolate jobs (runc and its cgroup hierarchy, or none), "
                    + "and when each was last heard from; under the table, what a node warns of (why it runs jobs "
                    + "unisolated).",
            "Exit codes: 0 listed (also none), 2 a usage error, 3 no answer from worker-factory."
        },
        sortOptions = false)
public final class NodesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private WorkerFactoryOption workerFactory;

    @Mixin
    private OutputOption output;

    @Override
    public Integer call() {
        ServiceApi api = workerFactory.api();
        ServiceApi.Answer answer = api.get("/nodes");
        if (!answer.ok()) {
            throw api.unexpected("GET /nodes", answer);
        }
        List<JsonNode> nodes = new ArrayList<>();
        answer.body().forEach(nodes::add);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            nodes.forEach(node -> out.println(node.toString()));
        } else if (nodes.isEmpty()) {
            spec.commandLine().getErr().println("sluice nodes: no node has registered with " + api.where()
                    + " yet (a node runner registers with its first heartbeat)");
        } else {
            table(nodes, ReadTimes.here(), Colour.ofStandardOutput()).forEach(out::println);
        }
        out.flush();
        return JobExitCodes.SUCCEEDED;
    }

    static List<String> table(List<JsonNode> nodes, ReadTimes times, Colour colour) {
        TextTable table = new TextTable("NODE", "HOST", "TARGETS", "SLOTS", "STATE", "ISOLATION", "LAST HEARTBEAT",
                "VERSION");
        for (JsonNode node : nodes) {
            List<String> targets = new ArrayList<>();
            node.path("targets").forEach(target -> targets.add(target.asText()));
            String state;
            UnaryOperator<String> paint;
            if (node.path("lost").asBoolean()) {
                state = "lost";
                paint = colour::failure;
            } else if (node.path("draining").asBoolean()) {
                state = "draining";
                paint = colour::warning;
            } else {
                state = "ready";
                paint = UnaryOperator.identity();
            }
            JsonNode heartbeat = node.path("lastHeartbeatAt");
            table.add(TextTable.Cell.of(node.path("nodeId").asText()),
                    TextTable.Cell.of(node.path("hostname").asText("-")),
                    TextTable.Cell.of(targets.isEmpty() ? "-" : String.join(",", targets)),
                    TextTable.Cell.of(node.path("slotsUsed").asInt() + "/" + node.path("slotsTotal").asInt()),
                    new TextTable.Cell(state, paint),
                    isolation(node, colour),
                    TextTable.Cell.of(times.time(heartbeat) + " (" + times.ago(heartbeat) + ")"),
                    TextTable.Cell.of(node.path("version").asText("-")));
        }
        List<String> lines = new ArrayList<>(table.lines());
        for (JsonNode node : nodes) {
            node.path("warnings").forEach(warning -> lines.add(colour.warning(node.path("nodeId").asText() + ": "
                    + oneLine(warning.asText()))));
        }
        return lines;
    }

    /**
     * How the node isolates jobs, lower case, with the cgroup hierarchy when it says which ({@code runc (cgroup
     * v2)}); a node that runs them unisolated stands out.
     */
    private static TextTable.Cell isolation(JsonNode node, Colour colour) {
        String text = node.path("isolation").asText("-").toLowerCase(Locale.ROOT);
        JsonNode cgroups = node.path("cgroups");
        if (cgroups.isTextual() && !cgroups.asText().isBlank()) {
            text += " (cgroup " + oneLine(cgroups.asText()) + ")";
        }
        return text.equals("none") ? new TextTable.Cell(text, colour::warning) : TextTable.Cell.of(text);
    }

    /** A node's free text on one line and without escape codes of its own: control characters become spaces. */
    private static String oneLine(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
