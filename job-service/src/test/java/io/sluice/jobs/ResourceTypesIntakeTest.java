package io.sluice.jobs;

import static io.sluice.testing.Jobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobRejected;
import io.sluice.events.job.SpecProblem;
import io.sluice.events.resource.ResourceDemanded;
import io.sluice.schemas.Topic;
import io.sluice.testing.ConsumerGroups;
import io.sluice.testing.EventHarness;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Intake checks a job's resources against the types the resource wells declare on sluice.resource.types, with the
 * test playing the wells: no type is configured in job-service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceTypesIntakeTest {

    private static final String TYPE_ROWS =
            "SELECT type, privilege, retired_at, retired_reason, announced_at, read_at FROM job_service.resource_type "
                    + "ORDER BY type";

    private JobServiceHarness harness;

    @BeforeAll
    void start() {
        harness = new JobServiceHarness("resource-types", Map.of(
                "sluice.jobs.owners.carol.privileges", List.of("lab-access")));
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void a_job_asking_for_a_type_no_well_declared_is_rejected_naming_the_field() {
        harness.submit("asks-tape", aJob().withResources("tape").spec());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "asks-tape", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField).containsExactly("spec.resources[0].type");
        assertThat(rejected.getProblems().getFirst().getMessage())
                .startsWith("no resource well declares type 'tape'; ");
        assertThat(harness.bus.payloads(Topic.RESOURCE_DEMANDS, "asks-tape", ResourceDemanded.class)).isEmpty();
    }

    @Test
    void once_a_well_declares_a_type_a_job_asking_for_it_is_accepted_and_demands_it() throws Exception {
        harness.declareResourceType("scratch-db", null);
        awaitTypeRow("scratch-db", "scratch-db|null|null|null");

        harness.submit("asks-db", aJob().withResources("scratch-db").spec());

        harness.bus.await(Topic.JOB_EVENTS, "asks-db", JobAccepted.class);
        ResourceDemanded demand = harness.bus.await(Topic.RESOURCE_DEMANDS, "asks-db", ResourceDemanded.class);
        assertThat(demand.getResourceType()).isEqualTo("scratch-db");
        assertThat(demand.getOwner()).isEqualTo("alice");
    }

    @Test
    void an_owner_without_the_privilege_a_declared_type_requires_is_rejected_naming_it() throws Exception {
        harness.declareResourceType("lab-slot", "lab-access");
        awaitTypeRow("lab-slot", "lab-slot|lab-access|null|null");

        harness.submit("slot-alice", aJob().ownedBy("alice").withResources("lab-slot").spec());
        harness.submit("slot-carol", aJob().ownedBy("carol").withResources("lab-slot").spec());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "slot-alice", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField, SpecProblem::getMessage)
                .containsExactly(tuple("spec.resources[0].type",
                        "resource type 'lab-slot' requires privilege 'lab-access', which the owner does not hold"));
        assertThat(harness.bus.await(Topic.RESOURCE_DEMANDS, "slot-carol", ResourceDemanded.class)
                .getResourceType()).isEqualTo("lab-slot");
    }

    @Test
    void a_retired_type_is_rejected_again_and_the_message_lists_the_types_still_declared() throws Exception {
        harness.declareResourceType("token", "");
        awaitTypeRow("token", "token|null|null|null");
        harness.submit("token-before", aJob().withResources("token").spec());
        harness.bus.await(Topic.RESOURCE_DEMANDS, "token-before", ResourceDemanded.class);

        harness.retireResourceType("token", "the jwt well was removed");
        await().atMost(EventHarness.DEADLINE).until(() -> rows(
                "SELECT retired_reason FROM job_service.resource_type WHERE type = 'token' AND retired_at IS NOT NULL")
                .equals("the jwt well was removed"));
        harness.submit("token-after", aJob().withResources("token").spec());

        JobRejected rejected = harness.bus.await(Topic.JOB_EVENTS, "token-after", JobRejected.class);
        assertThat(rejected.getProblems()).extracting(SpecProblem::getField).containsExactly("spec.resources[0].type");
        assertThat(rejected.getProblems().getFirst().getMessage())
                .startsWith("no resource well declares type 'token'; declared types: ")
                .doesNotContain("token,").doesNotEndWith("token");
        assertThat(harness.bus.payloads(Topic.RESOURCE_DEMANDS, "token-after", ResourceDemanded.class)).isEmpty();
    }

    @Test
    void replaying_the_types_topic_from_offset_zero_changes_nothing_even_past_the_deduplication_window()
            throws Exception {
        // A type declared, retired and declared again with another privilege: the last record read wins.
        harness.declareResourceType("gpu", "gpu-old");
        harness.retireResourceType("gpu", "moved");
        harness.declareResourceType("gpu", "lab-access");
        harness.declareResourceType("tmpfs", null);
        harness.retireResourceType("tmpfs", "gone");
        ConsumerGroups types = new ConsumerGroups(harness.scope,
                Map.of("job-service.resource-types", Topic.RESOURCE_TYPES));
        types.awaitConsumedToTheEnd(EventHarness.DEADLINE);
        String before = rows(TYPE_ROWS);
        assertThat(before).contains("gpu|lab-access|null|null|").containsPattern("tmpfs\\|null\\|20[^|]+\\|gone\\|");
        int demandsBefore = harness.bus.envelopes(Topic.RESOURCE_DEMANDS).size();

        // Processed-event records are pruned after 14 days, the compacted topic keeps its records: a late replay
        // applies every record again, in the order the topic holds them.
        harness.restart(() -> {
            types.resetToZero();
            assertThat(execute("DELETE FROM job_service.bus_processed_event"
                    + " WHERE consumer LIKE '%job-service.resource-types'")).isGreaterThanOrEqualTo(5);
        });
        types.awaitConsumedToTheEnd(EventHarness.DEADLINE);

        assertThat(rows(TYPE_ROWS)).isEqualTo(before);
        assertThat(harness.bus.envelopes(Topic.RESOURCE_DEMANDS)).hasSize(demandsBefore);
        harness.submit("gpu-carol", aJob().ownedBy("carol").withResources("gpu").spec());
        harness.submit("tmpfs-carol", aJob().ownedBy("carol").withResources("tmpfs").spec());
        assertThat(harness.bus.await(Topic.RESOURCE_DEMANDS, "gpu-carol", ResourceDemanded.class).getResourceType())
                .isEqualTo("gpu");
        assertThat(harness.bus.await(Topic.JOB_EVENTS, "tmpfs-carol", JobRejected.class).getReason())
                .contains("no resource well declares type 'tmpfs'");
    }

    private void awaitTypeRow(String type, String expected) {
        await().atMost(EventHarness.DEADLINE).until(() -> rows(
                "SELECT type, privilege, retired_at, retired_reason FROM job_service.resource_type WHERE type = '"
                        + type + "'").equals(expected));
    }

    private int execute(String sql) {
        try (Connection connection = harness.scope.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String rows(String sql) throws Exception {
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
