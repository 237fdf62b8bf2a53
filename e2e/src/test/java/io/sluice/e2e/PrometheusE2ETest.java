package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.StepFinished;
import io.sluice.schemas.Topic;
import io.sluice.testing.EventHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Debian's Prometheus scrapes the four services (from their jars) while a job with a resource runs through them; then
 * every query of every dashboard in compose/grafana/dashboards returns data, and every alert rule of
 * compose/prometheus/alerts.yml loads, evaluates without error and selects series that exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusE2ETest {

    private static final Path COMPOSE = Path.of("..", "compose").toAbsolutePath().normalize();
    private static final Path DASHBOARDS = COMPOSE.resolve("grafana/dashboards");
    private static final Path ALERTS = COMPOSE.resolve("prometheus/alerts.yml");
    /**
     * Grafana's built-in variables, as a dashboard over the last hour would fill them in; the rate window is the whole
     * test's (Grafana's would be a minute at a 15 s scrape) so that a slow machine still finds the job's observations.
     */
    private static final Map<String, String> GRAFANA_BUILT_INS = Map.of(
            "$__rate_interval", "5m", "$__interval", "15s", "$__range", "1h");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?}?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SluiceSystem sluice;
    private PrometheusServer prometheus;

    @BeforeAll
    void start() throws Exception {
        sluice = SluiceSystem.withWell("metrics", 1, Map.of("sluice.well.types.lab.provisioner", "semaphore"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceJvms.Service service : List.of(sluice.jobService, sluice.resourceWell, sluice.workerFactory,
                sluice.nodeRunner)) {
            ports.put(service.module(), service.port());
        }
        prometheus = PrometheusServer.start(ports, ALERTS);
        // Each service scraped twice before the job: its counters and histograms are seen at 0 first, so what the
        // job adds is an increase (a series first seen with the job's counts in it shows no rate).
        awaitQueryAnswers("count(sum by (job) (sum_over_time(up[5m])) >= 2) == 4");
        runAJobWithAResource();
        // Then each service scraped with what the job did in it, and job-service's gauges refreshed after it.
        awaitQueryAnswers("sum(sluice_jobs_finished_total{outcome=\"SUCCEEDED\"}) >= 1");
        awaitQueryAnswers("sum(sluice_jobs{state=\"RUNNING\"}) == 0");
        awaitQueryAnswers("sum(sluice_node_launch_duration_seconds_count) >= 2");
        awaitQueryAnswers("sum(sluice_well_queue_wait_seconds_count) >= 1");
        awaitQueryAnswers("sum(sluice_well_release_duration_seconds_count) >= 1");
        awaitQueryAnswers("count(up == 1) == 4");
        for (String measured : List.of("max(max_over_time(scrape_duration_seconds[5m]))",
                "count by (job) ({job=~\".+\"})", "sum by (target, outcome) (sluice_jobs_finished_total) > 0",
                "histogram_quantile(0.5, sum by (le) (rate(sluice_job_submit_to_start_seconds_bucket[5m])))",
                "histogram_quantile(0.5, sum by (le) (rate(sluice_job_queue_wait_seconds_bucket[5m])))",
                "histogram_quantile(0.5, sum by (le) (rate(sluice_job_placement_seconds_bucket[5m])))",
                "histogram_quantile(0.5, sum by (le) (rate(sluice_node_launch_duration_seconds_bucket[5m])))",
                "max by (job, component) (kafka_consumer_fetch_manager_records_lag_max)")) {
            // What the run measured, for whoever reads the test's output.
            System.out.printf("%s%n  %s%n", measured, prometheus.query(measured));
        }
    }

    /** Waits until {@code expression} returns data (a comparison returns data when it holds). */
    private void awaitQueryAnswers(String expression) {
        Awaitility.await(expression).atMost(EventHarness.DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> !prometheus.query(expression).isEmpty());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (sluice != null) {
                sluice.close();
            }
        }
    }

    /**
     * Submits a two-step job holding a "lab" resource until it ends; one submitted before job-service has heard of
     * the type is rejected and tried again under a new id (and counts as a rejected submission).
     */
    private void runAJobWithAResource() {
        int[] attempt = {0};
        Awaitility.await().atMost(EventHarness.DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
            String jobId = "measured-" + attempt[0]++;
            sluice.submit(jobId, aJob().withResources("lab")
                    .withSteps(aScript("first", "echo one"), aScript("second", "echo two")).spec());
            Object answer = Awaitility.await().atMost(EventHarness.DEADLINE).until(() -> endOf(jobId),
                    end -> end != null);
            if (answer instanceof JobCleanedUp cleaned) {
                assertThat(cleaned.getOutcome()).as(() -> jobId + " finished: " + sluice.bus.payloads(
                        Topic.JOB_EVENTS, jobId, JobFinished.class) + "; its steps: " + sluice.bus.payloads(
                        Topic.JOB_EVENTS, jobId, StepFinished.class)).isEqualTo(JobOutcome.SUCCEEDED);
                return true;
            }
            return false;
        });
    }

    private Object endOf(String jobId) {
        List<JobRejected> rejected = sluice.bus.payloads(Topic.JOB_EVENTS, jobId, JobRejected.class);
        if (!rejected.isEmpty()) {
            return rejected.getFirst();
        }
        List<JobCleanedUp> cleaned = sluice.bus.payloads(Topic.JOB_EVENTS, jobId, JobCleanedUp.class);
        return cleaned.isEmpty() ? null : cleaned.getFirst();
    }

    @Test
    void every_dashboard_query_returns_data() throws Exception {
        // Each service is scraped on its own clock: a histogram the job touched shows a rate once its service was
        // scraped after the job, which the waits above do not cover for every one of them. Asked again until then.
        DashboardAnswers answers;
        try {
            Awaitility.await().atMost(EventHarness.DEADLINE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> dashboardAnswers().complete());
        } catch (ConditionTimeoutException e) {
            // The assertions below say which queries.
        }
        answers = dashboardAnswers();

        assertThat(answers.queries()).as("dashboard queries asked").isGreaterThan(50);
        assertThat(answers.empty()).as("dashboard queries that returned no data").isEmpty();
        // A quantile of a histogram that saw nothing in its window is NaN: a series, but no data to chart.
        assertThat(answers.notANumber()).as("dashboard queries that returned only NaN").isEmpty();
    }

    /** What Prometheus answered to every dashboard panel's queries. */
    private record DashboardAnswers(int queries, List<String> empty, List<String> notANumber) {
        boolean complete() {
            return empty.isEmpty() && notANumber.isEmpty();
        }
    }

    private DashboardAnswers dashboardAnswers() throws Exception {
        List<String> empty = new ArrayList<>();
        List<String> notANumber = new ArrayList<>();
        int queries = 0;
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            Map<String, String> everything = allValues(dashboard);
            String repeatedBy = null;
            for (JsonNode panel : dashboard.path("panels")) {
                if (panel.path("type").asText().equals("row")) {
                    repeatedBy = panel.path("repeat").asText(null);
                    continue;
                }
                for (JsonNode target : panel.path("targets")) {
                    String expression = target.path("expr").asText();
                    // A row repeated per value of a variable shows each value alone: each must have data.
                    for (Map<String, String> values : repeatedBy == null ? List.of(everything)
                            : eachValueOf(dashboard, repeatedBy, everything)) {
                        String query = withVariables(expression, values);
                        queries++;
                        JsonNode result = prometheus.query(query);
                        String where = file.getFileName() + " / " + panel.path("title").asText() + ": " + query;
                        if (result.isEmpty()) {
                            empty.add(where);
                        } else if (result.findValues("value").stream()
                                .allMatch(value -> value.path(1).asText().equals("NaN"))) {
                            notANumber.add(where);
                        }
                    }
                }
            }
        }
        return new DashboardAnswers(queries, empty, notANumber);
    }

    @Test
    void every_alert_rule_loads_evaluates_and_selects_series_that_exist() throws Exception {
        long rulesInFile;
        try (Stream<String> lines = Files.lines(ALERTS)) {
            rulesInFile = lines.filter(line -> line.strip().startsWith("- alert:")).count();
        }
        // Wait until Prometheus has evaluated every rule at least once.
        Awaitility.await().atMost(EventHarness.DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                rules().stream().allMatch(rule -> !rule.path("lastEvaluation").asText().startsWith("0001")));
        List<JsonNode> rules = rules();
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : rules) {
            String name = rule.path("name").asText();
            String expression = rule.path("query").asText();
            assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
            if (!rule.path("health").asText().equals("ok")) {
                problems.add(name + " evaluates with " + rule.path("health") + ": " + rule.path("lastError"));
            }
            prometheus.query(expression); // fails the test if Prometheus refuses it
            List<String> selectors = PromQlSelectors.of(expression);
            if (selectors.isEmpty()) {
                problems.add(name + " selects nothing: " + expression);
            }
            for (String selector : selectors) {
                if (prometheus.series(selector).isEmpty()) {
                    problems.add(name + ": " + selector + " selects no series");
                }
            }
        }

        assertThat(rules).as("alert rules Prometheus loaded from " + ALERTS).hasSize((int) rulesInFile)
                .extracting(rule -> rule.path("name").asText())
                .contains("SluiceDeadLetter", "SluiceConsumerLagging", "SluiceNodeLost", "SluiceJobsQueuedTooLong",
                        "SluiceOutboxBacklogGrowing");
        assertThat(problems).isEmpty();
    }

    @Test
    void promtool_loads_the_rule_file() throws Exception {
        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "rules", ALERTS.toString())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());

        assertThat(promtool.waitFor()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    private List<JsonNode> rules() throws IOException, InterruptedException {
        List<JsonNode> rules = new ArrayList<>();
        prometheus.ruleGroups().forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    /**
     * Each variable as "All" fills it in: a custom variable's values joined as a regex, a query variable's allValue
     * (or ".*").
     */
    private static Map<String, String> allValues(JsonNode dashboard) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            List<String> options = optionsOf(variable);
            values.put(variable.path("name").asText(), options.isEmpty()
                    ? variable.path("allValue").asText(".*") : String.join("|", options));
        }
        return values;
    }

    private static List<Map<String, String>> eachValueOf(JsonNode dashboard, String name,
                                                         Map<String, String> everything) {
        List<Map<String, String>> each = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                for (String option : optionsOf(variable)) {
                    Map<String, String> values = new LinkedHashMap<>(everything);
                    values.put(name, option);
                    each.add(values);
                }
            }
        }
        assertThat(each).as("values of the repeat variable " + name).isNotEmpty();
        return each;
    }

    private static List<String> optionsOf(JsonNode variable) {
        return variable.path("options").findValuesAsText("value").stream()
                .filter(value -> !value.equals("$__all")).toList();
    }

    private static String withVariables(String expression, Map<String, String> values) {
        String result = expression;
        for (Map.Entry<String, String> builtIn : GRAFANA_BUILT_INS.entrySet()) {
            result = result.replace(builtIn.getKey(), builtIn.getValue());
        }
        Matcher variable = VARIABLE.matcher(result);
        StringBuilder filled = new StringBuilder();
        while (variable.find()) {
            String value = values.get(variable.group(1));
            assertThat(value).as("dashboard variable $" + variable.group(1) + " in " + expression).isNotNull();
            variable.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        variable.appendTail(filled);
        return filled.toString();
    }
}
