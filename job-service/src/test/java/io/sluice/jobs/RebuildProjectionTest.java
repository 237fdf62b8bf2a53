package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.JobWorkerAssigned;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.jobs.edge.RebuildProjection;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.testing.EventHarness;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The projection rebuilt from sluice.job.events offset 0 into empty tables equals the live one. */
class RebuildProjectionTest {

    private static final String LIVE = "job_service";
    private static final String REBUILT = "job_service_rebuilt";

    @Test
    void a_projection_rebuilt_from_the_job_events_topic_equals_the_live_projection() throws Exception {
        try (JobServiceHarness harness = new JobServiceHarness("rebuild", Map.of())) {
            harness.submit("ok", aJob().withSteps(aStep("one", "/bin/true"), aStep("two", "/bin/true")).spec());
            harness.submit("fails", aJob().spec());
            harness.submit("rejected", aJob().withSteps(aStep("", "/bin/true")).spec());
            harness.bus.await(Topic.WORKER_DEMANDS, "ok", WorkerDemanded.class);
            harness.bus.await(Topic.WORKER_DEMANDS, "fails", WorkerDemanded.class);
            harness.assignWorker("ok", "node-a");
            harness.assignWorker("fails", "node-b");
            // The first steps were launched with the placement; a node starts a later step only once it got the
            // command, so the test waits for that launch. Assignments first, so the history is the same each run.
            harness.bus.await(Topic.JOB_EVENTS, "ok", JobWorkerAssigned.class);
            harness.bus.await(Topic.JOB_EVENTS, "fails", JobWorkerAssigned.class);
            harness.runStep("ok", "node-a", "one", 0);
            harness.runStep("fails", "node-b", "compile", 2);
            awaitLaunch(harness, "ok", "two");
            harness.runStep("ok", "node-a", "two", 0);
            harness.bus.await(Topic.JOB_EVENTS, "rejected", JobRejected.class);
            harness.releaseWorker("ok", "node-a");
            harness.releaseWorker("fails", "node-b");
            harness.bus.await(Topic.JOB_EVENTS, "ok", JobCleanedUp.class);
            harness.bus.await(Topic.JOB_EVENTS, "fails", JobCleanedUp.class);
            int events = harness.bus.<JobEventEnvelope>envelopes(Topic.JOB_EVENTS).size();
            await().atMost(EventHarness.DEADLINE).until(() -> rows(harness, LIVE, "job_history").size() == events);

            PGSimpleDataSource target = new PGSimpleDataSource();
            target.setUrl(harness.scope.jdbcUrl());
            target.setUser(harness.scope.username());
            target.setPassword(harness.scope.password());
            target.setCurrentSchema(REBUILT);
            RebuildProjection.Result result = RebuildProjection.rebuild(harness.scope.bootstrapServers(),
                    new TopicNaming(harness.scope.topicPrefix()), target, REBUILT);

            assertThat(result.applied()).isEqualTo(events);
            for (String table : List.of("job_view", "job_step", "job_history", "job_resource_view")) {
                assertThat(rows(harness, REBUILT, table)).as(table).isEqualTo(rows(harness, LIVE, table));
            }
            assertThat(rows(harness, LIVE, "job_view")).hasSize(3);
        }
    }

    private static void awaitLaunch(JobServiceHarness harness, String jobId, String step) {
        harness.bus.await(Topic.NODE_COMMANDS, jobId, LaunchProcess.class, l -> l.getProcess().equals(step));
    }

    /** The table's rows as text, ordered, without the sequence column (it numbers rows in insertion order). */
    private static List<Map<String, String>> rows(JobServiceHarness harness, String schema, String table)
            throws Exception {
        try (Connection connection = harness.scope.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM " + schema + "." + table + " ORDER BY 1, 2")) {
            ResultSetMetaData columns = rows.getMetaData();
            List<Map<String, String>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, String> row = new java.util.TreeMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    if (!columns.getColumnName(i).equals("seq")) {
                        row.put(columns.getColumnName(i), rows.getString(i));
                    }
                }
                result.add(row);
            }
            return result;
        }
    }
}
