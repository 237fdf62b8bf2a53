package io.sluice.cli.api;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.Colour;
import io.sluice.cli.OutputOption;
import io.sluice.cli.jobs.JobExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice list}: the jobs job-service knows, newest first, filtered, paged through its {@code GET /jobs}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Lists jobs, the latest submitted first, from job-service's projection (GET /jobs, read a page at a "
                    + "time): id, state, owner, target, name, steps, when submitted.",
            "Exit codes: 0 listed (also none), 2 a usage error, 3 no answer from job-service."
        },
        sortOptions = false)
public final class ListCommand implements Callable<Integer> {

    /** The most one listing shows: a bound on what one command reads, however many jobs match. */
    static final int MAX_LIMIT = 10_000;
    /** job-service's own bound on one page. */
    static final int PAGE = 500;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JobServiceOption jobService;

    @Mixin
    private OutputOption output;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only jobs in this state: QUEUED, WAITING_FOR_WORKER, RUNNING, SUCCEEDED, FAILED, ...")
    private String state;

    @Option(names = "--owner", paramLabel = "USER", description = "Only this owner's jobs.")
    private String owner;

    @Option(names = "--target", paramLabel = "TARGET", description = "Only jobs for this target.")
    private String target;

    @Option(names = "--since", paramLabel = "TIME|DURATION", converter = SinceConverter.class,
            description = "Only jobs submitted since then: a time (2026-12-06T15:00:00Z, 2026-12-06T15:00, "
                    + "2026-12-06) or a duration back from now (30m, 2h, 1d).")
    private Instant since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most this many jobs (default: ${DEFAULT-VALUE}, at most " + MAX_LIMIT + ").")
    private int limit;

    /** Hidden: lets a test page through a few jobs; job-service bounds it to its own maximum. */
    @Option(names = "--page-size", hidden = true, defaultValue = "" + PAGE)
    private int pageSize;

    @Override
    public Integer call() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--limit: must be between 1 and " + MAX_LIMIT
                    + ", got " + limit);
        }
        ServiceApi api = jobService.api();
        List<JsonNode> jobs = new ArrayList<>();
        String after = null;
        boolean more;
        do {
            String query = query(Math.min(pageSize, limit - jobs.size()), after);
            ServiceApi.Answer answer = api.get("/jobs?" + query);
            if (!answer.ok()) {
                throw api.unexpected("GET /jobs?" + query, answer);
            }
            answer.body().path("jobs").forEach(jobs::add);
            JsonNode next = answer.body().path("next");
            after = next.isTextual() ? next.asText() : null;
            more = after != null;
        } while (more && jobs.size() < limit);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            jobs.forEach(job -> out.println(job.toString()));
        } else if (jobs.isEmpty()) {
            spec.commandLine().getErr().println("sluice list: no jobs" + (filters().isEmpty() ? ""
                    : " with " + filters().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "))) + " at " + api.where());
        } else {
            table(jobs).forEach(out::println);
        }
        out.flush();
        if (more) {
            spec.commandLine().getErr().println("sluice list: more jobs match than the " + limit
                    + " shown; --limit (up to " + MAX_LIMIT + ") or --since shows others");
            spec.commandLine().getErr().flush();
        }
        return JobExitCodes.SUCCEEDED;
    }

    private Map<String, String> filters() {
        Map<String, String> filters = new LinkedHashMap<>();
        if (state != null) {
            filters.put("state", state.toUpperCase(Locale.ROOT));
        }
        if (owner != null) {
            filters.put("owner", owner);
        }
        if (target != null) {
            filters.put("target", target);
        }
        if (since != null) {
            filters.put("since", since.toString());
        }
        return filters;
    }

    private String query(int pageSize, String after) {
        Map<String, String> parameters = new LinkedHashMap<>(filters());
        parameters.put("order", "newest");
        parameters.put("limit", String.valueOf(pageSize));
        if (after != null) {
            parameters.put("after", after);
        }
        return parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private List<String> table(List<JsonNode> jobs) {
        Colour colour = Colour.ofStandardOutput();
        ReadTimes times = ReadTimes.here();
        TextTable table = new TextTable("JOB", "STATE", "OWNER", "TARGET", "NAME", "STEPS", "SUBMITTED");
        for (JsonNode job : jobs) {
            String state = job.path("state").asText();
            table.add(TextTable.Cell.of(job.path("jobId").asText()),
                    new TextTable.Cell(state, JobStates.paint(state, colour)),
                    TextTable.Cell.of(job.path("owner").asText("-")),
                    TextTable.Cell.of(job.path("target").asText("-")),
                    TextTable.Cell.of(job.path("name").asText("-")),
                    TextTable.Cell.of(steps(job)),
                    TextTable.Cell.of(times.time(job.path("milestones").path("submitted"))));
        }
        return table.lines();
    }

    /** {@code 3}, or {@code 2/3} while the job is at its second step. */
    private static String steps(JsonNode job) {
        int count = job.path("stepCount").asInt();
        JsonNode current = job.path("currentStepIndex");
        boolean running = "RUNNING".equals(job.path("state").asText()) && current.isInt();
        return running ? (current.asInt() + 1) + "/" + count : String.valueOf(count);
    }
}
