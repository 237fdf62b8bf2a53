package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventHarness;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Invariant 8 on the real service: every consumer group of job-service reset to offset 0, as a user does to
 * debug, changes no state and emits nothing again: no job is accepted, launched or finished twice.
 */
class JobServiceReplayTest {

    /** job-service's consumers and the topic each reads. */
    private static final Map<String, Topic> CONSUMERS = Map.of(
            "job-service.requests", Topic.JOB_REQUESTS,
            "job-service.resources", Topic.RESOURCE_EVENTS,
            "job-service.workers", Topic.WORKER_EVENTS,
            "job-service.nodes", Topic.NODE_EVENTS,
            "job-service.resource-types", Topic.RESOURCE_TYPES);
    private static final List<Topic> OUTPUTS = List.of(Topic.JOB_EVENTS, Topic.JOB_STATE, Topic.WORKER_DEMANDS,
            Topic.NODE_COMMANDS, Topic.RESOURCE_DEMANDS);

    @Test
    void replaying_every_topic_job_service_consumes_from_offset_zero_changes_nothing_and_emits_nothing()
            throws Exception {
        try (JobServiceHarness harness = new JobServiceHarness("replay", Map.of())) {
            harness.submit("done", aJob().withSteps(aStep("one", "/bin/true")).spec());
            harness.submit("rejected", aJob().withSteps(aStep("", "/bin/true")).spec());
            harness.bus.await(Topic.WORKER_DEMANDS, "done", WorkerDemanded.class);
            harness.assignWorker("done", "node-a");
            harness.bus.await(Topic.JOB_EVENTS, "done", JobWorkerAssigned.class);
            harness.runStep("done", "node-a", "one", 0);
            harness.releaseWorker("done", "node-a");
            harness.bus.await(Topic.JOB_EVENTS, "done", JobCleanedUp.class);
            // The rejected job's one event may come after the other job's last: count only once both are there.
            harness.bus.await(Topic.JOB_EVENTS, "rejected", JobRejected.class);
            int jobEvents = harness.bus.envelopes(Topic.JOB_EVENTS).size();
            await().atMost(EventHarness.DEADLINE).until(() -> count(harness, "job_history") == jobEvents);
            ConsumerGroups groups = new ConsumerGroups(harness.scope, CONSUMERS);
            groups.awaitConsumedToTheEnd(EventHarness.DEADLINE);
            Map<Topic, Integer> before = recordsOn(harness);
            String sagaBefore = rows(harness, "SELECT job_id, stage, version FROM job_service.saga_job ORDER BY 1");

            harness.restart(groups::resetToZero);
            groups.awaitConsumedToTheEnd(EventHarness.DEADLINE);

            assertThat(recordsOn(harness)).isEqualTo(before);
            assertThat(rows(harness, "SELECT job_id, stage, version FROM job_service.saga_job ORDER BY 1"))
                    .isEqualTo(sagaBefore);
            assertThat(count(harness, "job_history")).isEqualTo(jobEvents);
        }
    }

    private static Map<Topic, Integer> recordsOn(JobServiceHarness harness) {
        Map<Topic, Integer> counts = new HashMap<>();
        for (Topic topic : OUTPUTS) {
            counts.put(topic, harness.bus.envelopes(topic).size());
        }
        return counts;
    }

    private static long count(JobServiceHarness harness, String table) throws Exception {
        return Long.parseLong(rows(harness, "SELECT count(*) FROM job_service." + table));
    }

    private static String rows(JobServiceHarness harness, String sql) throws Exception {
        try (Connection connection = harness.scope.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            StringBuilder text = new StringBuilder();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    text.append(rows.getString(i)).append(i == columns ? "\n" : "|");
                }
            }
            return text.toString().strip();
        }
    }
}
