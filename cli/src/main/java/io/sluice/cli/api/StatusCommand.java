package io.sluice.cli.api;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.CliFailure;
import io.sluice.cli.Colour;
import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.DurationText;
import io.sluice.cli.jobs.JobExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice status JOB}: one job as job-service's projection holds it, from {@code GET /jobs/{id}}. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows one job as job-service knows it (GET /jobs/{id}): its state, milestones, steps with their exit "
                    + "codes, the resources it holds and its worker.",
            "Exit codes: 0 shown, 2 a usage error, 3 no such job, or no answer from job-service."
        },
        sortOptions = false)
public final class StatusCommand implements Callable<Integer> {

    /** The milestones in the order a job reaches them, with the names people read. */
    private static final List<String[]> MILESTONES = List.of(new String[] {"submitted", "submitted"},
            new String[] {"queued", "queued"}, new String[] {"workerAssigned", "worker assigned"},
            new String[] {"started", "started"}, new String[] {"stopRequested", "stop requested"},
            new String[] {"finished", "finished"}, new String[] {"cleanedUp", "cleaned up"});

    @Spec
    private CommandSpec spec;

    @Mixin
    private JobServiceOption jobService;

    @Mixin
    private OutputOption output;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to show.")
    private String jobId;

    @Override
    public Integer call() {
        ServiceApi api = jobService.api();
        String path = "/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20");
        ServiceApi.Answer answer = api.get(path);
        if (answer.status() == 404) {
            throw new CliFailure("no job " + jobId + " at " + api.where() + " (`sluice list` shows the jobs it knows)",
                    null, JobExitCodes.NO_ANSWER);
        }
        if (!answer.ok()) {
            throw api.unexpected("GET " + path, answer);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(answer.body().toString());
        } else {
            describe(answer.body(), ReadTimes.here(), Colour.ofStandardOutput()).forEach(out::println);
        }
        out.flush();
        return JobExitCodes.SUCCEEDED;
    }

    static List<String> describe(JsonNode job, ReadTimes times, Colour colour) {
        List<String> lines = new ArrayList<>();
        String state = job.path("state").asText();
        lines.add("job         " + job.path("jobId").asText() + "  '" + job.path("name").asText("-") + "' of "
                + job.path("owner").asText("-") + " on target " + job.path("target").asText("-"));
        String current = job.path("currentStep").isTextual() && "RUNNING".equals(state)
                ? ", step " + job.path("currentStep").asText() : "";
        int attempt = job.path("attempt").asInt(1);
        lines.add("state       " + JobStates.paint(state, colour).apply(state) + current
                + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        if (job.path("reason").isTextual()) {
            lines.add("reason      " + job.path("reason").asText());
        }
        if (job.path("workerId").isTextual() || job.path("nodeId").isTextual()) {
            lines.add("worker      " + job.path("workerId").asText("-") + " on node " + job.path("nodeId").asText("-"));
        }
        List<String> resources = new ArrayList<>();
        job.path("resourcesHeld").forEach(resource -> resources.add(resource.path("type").asText() + " "
                + resource.path("resourceId").asText()));
        lines.add("resources   " + (resources.isEmpty() ? "none held" : String.join(", ", resources)));
        lines.add("milestones");
        JsonNode milestones = job.path("milestones");
        JsonNode submitted = milestones.path("submitted");
        for (String[] milestone : MILESTONES) {
            JsonNode at = milestones.path(milestone[0]);
            if (ReadTimes.parse(at) != null) {
                String since = milestone[0].equals("submitted") ? "" : "  +" + ReadTimes.between(submitted, at);
                lines.add(String.format("  %-16s %s%s", milestone[1], times.preciseTime(at), since));
            }
        }
        TextTable steps = new TextTable("  #", "STEP", "STATE", "EXIT", "TOOK", "STARTED", "REASON");
        for (JsonNode step : job.path("steps")) {
            String stepState = step.path("state").asText();
            steps.add(TextTable.Cell.of("  " + (step.path("index").asInt() + 1)),
                    TextTable.Cell.of(step.path("name").asText()),
                    new TextTable.Cell(stepState, JobStates.paint(stepState, colour)),
                    TextTable.Cell.of(exit(step)),
                    TextTable.Cell.of(step.path("durationMillis").isNumber() ? DurationText.describe(
                            java.time.Duration.ofMillis(step.path("durationMillis").asLong())) : "-"),
                    TextTable.Cell.of(times.preciseTime(step.path("startedAt"))),
                    TextTable.Cell.of(step.path("reason").asText("")));
        }
        lines.add("steps");
        lines.addAll(steps.lines());
        return lines;
    }

    /** {@code 0}, {@code 3}, {@code SIGKILL (out of memory)}, or "-" while it has none. */
    private static String exit(JsonNode step) {
        String exit = step.path("exitCode").isInt() ? step.path("exitCode").asText()
                : step.path("signal").isTextual() ? step.path("signal").asText() : "-";
        return step.path("oomKilled").asBoolean() ? exit + " (out of memory)" : exit;
    }
}
