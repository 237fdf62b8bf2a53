package io.sluice.jobs.publish.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.events.JobOutcome;
import io.sluice.jobs.config.TargetProperties;
import io.sluice.jobs.store.projection.JobMetricsReader;
import io.sluice.jobs.store.projection.JobMetricsReader.LiveJobs;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * job-service's meters, as Prometheus shows them: the live jobs by target and state and the oldest one waiting for a
 * worker (gauges a task refreshes from the projection), each target's queue expectation, jobs submitted and finished
 * (counters), and the histograms of where a job's time went before it started, labelled by target only.
 */
@Singleton
public final class JobMetrics {

    /** Rejected submissions name no target a label could trust (it may be anything a user wrote). */
    public static final String NO_TARGET = "none";
    /** The outcome label of a rejected submission, beside the outcomes of JobFinished. */
    public static final String REJECTED = "REJECTED";

    /** Queue waits and latencies are histogrammed up to a day: longer ones fall in the +Inf bucket. */
    private static final Duration LONGEST_EXPECTED = Duration.ofDays(1);

    private final MeterRegistry registry;
    private final MultiGauge jobs;
    private final MultiGauge oldestWaiting;
    private final Set<String> targets = new LinkedHashSet<>();

    public JobMetrics(MeterRegistry registry, List<TargetProperties> targetConfigs) {
        this.registry = registry;
        for (TargetProperties target : targetConfigs) {
            targets.add(target.getName());
            Gauge.builder("sluice.jobs.queue.expectation", target, t -> t.getQueueExpectation().toMillis() / 1000.0)
                    .description("How long a job of the target is expected to wait for a worker at most "
                            + "(sluice.jobs.targets.<name>.queue-expectation)")
                    .baseUnit("seconds").tag("target", target.getName()).register(registry);
        }
        this.jobs = MultiGauge.builder("sluice.jobs")
                .description("Jobs that have not ended, per target and state (from the projection)").register(registry);
        this.oldestWaiting = MultiGauge.builder("sluice.jobs.oldest.waiting").baseUnit("seconds")
                .description("How long the oldest job still waiting for a worker has been queued, per target")
                .register(registry);
        // Every series exists from the start, at 0, so that a rate over it and the dashboards have data at once.
        for (String target : targets) {
            submitted(target, 0);
            for (JobOutcome outcome : JobOutcome.values()) {
                finished(target, outcome.name(), 0);
            }
            for (Histogram histogram : Histogram.values()) {
                histogram.timer(registry, target);
            }
        }
        submitted(NO_TARGET, 0);
        finished(NO_TARGET, REJECTED, 0);
        refresh(List.of(), Instant.now());
    }

    /** The histograms: what each measures is in job-service/README.md ("Metrics"). */
    public enum Histogram {
        QUEUE_WAIT("sluice.job.queue.wait", "Time from a job's JobQueued to its first JobWorkerAssigned"),
        RESOURCE_WAIT("sluice.job.resource.wait",
                "Time from a job's JobQueued to its WorkerRequested, once it holds all its resources (jobs with resources)"),
        PLACEMENT("sluice.job.placement", "Time from a job's WorkerRequested to its JobPreparing (a node was chosen)"),
        SUBMIT_TO_START("sluice.job.submit.to.start",
                "Time from a job's submission to the start of its first step (first attempt)");

        private final String name;
        private final String description;

        Histogram(String name, String description) {
            this.name = name;
            this.description = description;
        }

        private Timer timer(MeterRegistry registry, String target) {
            return Timer.builder(name).description(description).tag("target", target)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(LONGEST_EXPECTED).register(registry);
        }
    }

    /** Shows the live jobs counted at {@code now}: every configured target and live state appears, 0 if none. */
    public void refresh(List<LiveJobs> live, Instant now) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Instant> oldest = new HashMap<>();
        for (LiveJobs group : live) {
            counts.merge(group.target() + "\n" + group.state(), group.count(), Long::sum);
            if (group.oldestQueuedAt() != null && JobMetricsReader.WAITING_STATES.contains(group.state())) {
                oldest.merge(group.target(), group.oldestQueuedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        // Only configured targets: a job's target is canonical, so that bounds the labels.
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String target : targets) {
            for (String state : JobMetricsReader.LIVE_STATES) {
                rows.add(MultiGauge.Row.of(Tags.of("target", target, "state", state),
                        counts.getOrDefault(target + "\n" + state, 0L)));
            }
        }
        jobs.register(rows, true);
        oldestWaiting.register(targets.stream().map(target -> MultiGauge.Row.of(Tags.of("target", target),
                oldest.containsKey(target) ? Duration.between(oldest.get(target), now).toMillis() / 1000.0 : 0.0))
                .toList(), true);
    }

    public void submitted(String target) {
        submitted(target, 1);
    }

    public void finished(String target, String outcome) {
        finished(target, outcome, 1);
    }

    /** Records {@code took} in {@code histogram}; a negative time (clocks of two hosts) counts as 0. */
    public void observe(Histogram histogram, String target, Duration took) {
        histogram.timer(registry, target).record(took.isNegative() ? Duration.ZERO : took);
    }

    private void submitted(String target, int jobs) {
        Counter.builder("sluice.jobs.submitted").description("Job submissions job-service decided on, per target")
                .tag("target", target).register(registry).increment(jobs);
    }

    private void finished(String target, String outcome, int jobs) {
        Counter.builder("sluice.jobs.finished").description("Jobs that ended, per target and outcome (REJECTED: "
                        + "refused at intake)")
                .tags("target", target, "outcome", outcome).register(registry).increment(jobs);
    }
}
