package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventHarness;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * job-service counts each job once where it applies its events: submitted, finished by outcome, the live jobs by
 * state from the projection, the waits from the events' times; a replay of every topic from offset 0 counts nothing.
 */
class JobMetricsTest {

    @Test
    void a_job_is_counted_once_and_a_replay_from_offset_zero_counts_nothing_again() throws Exception {
        try (JobServiceHarness harness = new JobServiceHarness("metrics",
                Map.of("sluice.jobs.gauge-refresh-interval", "200ms"))) {
            harness.submit("measured", aJob().withSteps(aStep("one", "/bin/true")).spec());
            harness.submit("refused", aJob().withSteps(aStep("", "/bin/true")).spec());
            harness.bus.await(Topic.WORKER_DEMANDS, "measured", WorkerDemanded.class);
            harness.bus.await(Topic.JOB_EVENTS, "refused", JobRejected.class);
            await().atMost(EventHarness.DEADLINE).untilAsserted(() ->
                    assertThat(gauge(harness, "sluice.jobs", "target", "linux", "state", "WAITING_FOR_WORKER"))
                            .as("the waiting job, from the projection").isEqualTo(1.0));
            harness.assignWorker("measured", "node-a");
            harness.bus.await(Topic.JOB_EVENTS, "measured", JobWorkerAssigned.class);
            harness.runStep("measured", "node-a", "one", 0);
            harness.releaseWorker("measured", "node-a");
            harness.bus.await(Topic.JOB_EVENTS, "measured", JobCleanedUp.class);

            await().atMost(EventHarness.DEADLINE).untilAsserted(() -> {
                assertThat(counter(harness, "sluice.jobs.submitted", "target", "linux")).isEqualTo(1.0);
                assertThat(counter(harness, "sluice.jobs.submitted", "target", "none")).isEqualTo(1.0);
                assertThat(counter(harness, "sluice.jobs.finished", "target", "linux", "outcome", "SUCCEEDED"))
                        .isEqualTo(1.0);
                assertThat(counter(harness, "sluice.jobs.finished", "target", "none", "outcome", "REJECTED"))
                        .isEqualTo(1.0);
                assertThat(timerCount(harness, "sluice.job.queue.wait")).isEqualTo(1);
                assertThat(timerCount(harness, "sluice.job.placement")).isEqualTo(1);
                assertThat(timerCount(harness, "sluice.job.submit.to.start")).isEqualTo(1);
                assertThat(timerCount(harness, "sluice.job.resource.wait")).as("the job holds no resource").isZero();
                assertThat(gauge(harness, "sluice.jobs", "target", "linux", "state", "WAITING_FOR_WORKER"))
                        .isZero();
                assertThat(gauge(harness, "sluice.jobs.queue.expectation", "target", "linux"))
                        .as("the default expectation, 5 minutes").isEqualTo(300.0);
            });

            ConsumerGroups groups = new ConsumerGroups(harness.scope, topics(harness));
            groups.awaitConsumedToTheEnd(EventHarness.DEADLINE);
            harness.restart(groups::resetToZero);
            groups.awaitConsumedToTheEnd(EventHarness.DEADLINE);

            // The new instance re-read every event as a duplicate: it counts none of them.
            assertThat(counter(harness, "sluice.events.consumed", "consumer", "job-service.workers", "outcome",
                    "duplicate")).as("worker events re-read").isPositive();
            assertThat(counter(harness, "sluice.jobs.submitted", "target", "linux")).isZero();
            assertThat(counter(harness, "sluice.jobs.finished", "target", "linux", "outcome", "SUCCEEDED")).isZero();
            assertThat(timerCount(harness, "sluice.job.queue.wait")).isZero();
            assertThat(timerCount(harness, "sluice.job.submit.to.start")).isZero();
        }
    }

    private static Map<String, Topic> topics(JobServiceHarness harness) {
        return Map.of("job-service.requests", Topic.JOB_REQUESTS, "job-service.resources", Topic.RESOURCE_EVENTS,
                "job-service.workers", Topic.WORKER_EVENTS, "job-service.nodes", Topic.NODE_EVENTS,
                "job-service.resource-types", Topic.RESOURCE_TYPES);
    }

    private static MeterRegistry registry(JobServiceHarness harness) {
        return harness.server.getApplicationContext().getBean(MeterRegistry.class);
    }

    private static double counter(JobServiceHarness harness, String name, String... tags) {
        var counter = registry(harness).find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double gauge(JobServiceHarness harness, String name, String... tags) {
        return registry(harness).get(name).tags(tags).gauge().value();
    }

    private static long timerCount(JobServiceHarness harness, String name) {
        return registry(harness).get(name).tags("target", "linux").timer().count();
    }
}
