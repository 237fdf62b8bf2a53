package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventBench;
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
            "job-service.nodes", Topic.NODE_EVENTS);
    private static final List<Topic> OUTPUTS = List.of(Topic.JOB_EVENTS, Topic.JOB_STATE, Topic.WORKER_DEMANDS,
            Topic.NODE_COMMANDS, Topic.RESOURCE_DEMANDS);

    @Test
    void replaying_every_topic_job_service_consumes_from_offset_zero_changes_nothing_and_emits_nothing()
            throws Exception {
        try (JobServiceBench bench = new JobServiceBench("replay", Map.of())) {
            bench.submit("done", aJob().withSteps(aStep("one", "/bin/true")).spec());
            bench.submit("rejected", aJob().withSteps(aStep("", "/bin/true")).spec());
            bench.bus.await(Topic.WORKER_DEMANDS, "done", WorkerDemanded.class);
            bench.assignWorker("done", "node-a");
            bench.bus.await(Topic.JOB_EVENTS, "done", JobWorkerAssigned.class);
            bench.runStep("done", "node-a", "one", 0);
            bench.releaseWorker("done", "node-a");
            bench.bus.await(Topic.JOB_EVENTS, "done", JobCleanedUp.class);
            int jobEvents = bench.bus.envelopes(Topic.JOB_EVENTS).size();
            await().atMost(EventBench.DEADLINE).until(() -> count(bench, "job_history") == jobEvents);
            ConsumerGroups groups = new ConsumerGroups(bench.scope, CONSUMERS);
            groups.awaitConsumedToTheEnd(EventBench.DEADLINE);
            Map<Topic, Integer> before = recordsOn(bench);
            String sagaBefore = rows(bench, "SELECT job_id, stage, version FROM job_service.saga_job ORDER BY 1");

            bench.restart(groups::resetToZero);
            groups.awaitConsumedToTheEnd(EventBench.DEADLINE);

            assertThat(recordsOn(bench)).isEqualTo(before);
            assertThat(rows(bench, "SELECT job_id, stage, version FROM job_service.saga_job ORDER BY 1"))
                    .isEqualTo(sagaBefore);
            assertThat(count(bench, "job_history")).isEqualTo(jobEvents);
        }
    }

    private static Map<Topic, Integer> recordsOn(JobServiceBench bench) {
        Map<Topic, Integer> counts = new HashMap<>();
        for (Topic topic : OUTPUTS) {
            counts.put(topic, bench.bus.envelopes(topic).size());
        }
        return counts;
    }

    private static long count(JobServiceBench bench, String table) throws Exception {
        return Long.parseLong(rows(bench, "SELECT count(*) FROM job_service." + table));
    }

    private static String rows(JobServiceBench bench, String sql) throws Exception {
        try (Connection connection = bench.scope.dataSource().getConnection();
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
