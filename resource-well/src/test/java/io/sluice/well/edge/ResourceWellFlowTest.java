package io.sluice.well.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.GrantedResource;
import io.sluice.events.resource.ResourceProvisionFailed;
import io.sluice.events.resource.ResourceReleased;
import io.sluice.events.resource.ResourceTypeDeclared;
import io.sluice.schemas.Topic;
import io.sluice.testing.IsolatedScopeExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The well answers job-service over the real broker: capacity, FIFO order, release, withdrawal, expiry, refusal. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceWellFlowTest {

    @RegisterExtension
    static final IsolatedScopeExtension SCOPE = new IsolatedScopeExtension();

    private WellHarness harness;

    @BeforeAll
    void startTheWell() {
        harness = new WellHarness(SCOPE.get(), Map.of(
                "sluice.well.types.lab-slot.capacity", 2,
                "sluice.well.types.lab-slot.provisioner", "semaphore",
                "sluice.well.types.licence.capacity", 1,
                "sluice.well.types.licence.provisioner", "semaphore",
                "sluice.well.types.short-lived.provisioner", "semaphore",
                "sluice.well.types.short-lived.max-lifetime", "1s"));
    }

    @AfterAll
    void stopTheWell() {
        harness.close();
    }

    @Test
    void at_capacity_demands_wait_in_fifo_order_and_each_release_admits_the_next_in_line() {
        List<String> jobs = List.of("fifo-1", "fifo-2", "fifo-3", "fifo-4", "fifo-5", "fifo-6");
        jobs.forEach(job -> harness.jobDemands(job, "lab-slot"));
        harness.awaitHandled("lab-slot");

        GrantedResource first = harness.awaitGranted("fifo-1");
        GrantedResource second = harness.awaitGranted("fifo-2");
        assertThat(List.of(first.getMetadata().get("slot"), second.getMetadata().get("slot")))
                .containsExactlyInAnyOrder("0", "1");
        assertThat(jobs.subList(2, 6)).allSatisfy(job -> assertThat(harness.grantsOf(job)).isEmpty());

        harness.jobReleases("fifo-1", first);
        assertThat(harness.awaitReleased("fifo-1").getResourceId()).isEqualTo(first.getResourceId());
        assertThat(harness.awaitGranted("fifo-3").getMetadata()).containsEntry("slot",
                first.getMetadata().get("slot"));
        harness.awaitHandled("lab-slot");
        assertThat(jobs.subList(3, 6)).allSatisfy(job -> assertThat(harness.grantsOf(job)).isEmpty());

        harness.jobReleases("fifo-2", second);
        harness.awaitGranted("fifo-4");
        harness.awaitHandled("lab-slot");
        assertThat(jobs.subList(4, 6)).allSatisfy(job -> assertThat(harness.grantsOf(job)).isEmpty());
    }

    @Test
    void a_withdrawn_demand_leaves_the_queue_and_a_withdrawn_grant_is_released_for_the_next_in_line() {
        harness.jobDemands("held", "licence");
        harness.jobDemands("waiting", "licence");
        harness.jobDemands("next", "licence");
        GrantedResource held = harness.awaitGranted("held");

        harness.jobWithdraws("waiting", "licence");
        harness.jobWithdraws("held", "licence");

        assertThat(harness.awaitReleased("held").getResourceId()).isEqualTo(held.getResourceId());
        harness.awaitGranted("next");
        harness.awaitHandled("licence");
        assertThat(harness.grantsOf("waiting")).isEmpty();
    }

    @Test
    void an_instance_past_its_lifetime_is_released_by_force_and_its_slot_goes_on() {
        harness.jobDemands("lingers", "short-lived");
        harness.jobDemands("after", "short-lived");
        GrantedResource lingering = harness.awaitGranted("lingers");

        ResourceReleased released = harness.awaitReleased("lingers");
        assertThat(released.getResourceId()).isEqualTo(lingering.getResourceId());
        assertThat(released.getReason()).startsWith("expired: its lifetime ended at ");
        harness.awaitGranted("after");
    }

    @Test
    void the_well_declares_the_types_it_serves_on_the_types_topic() {
        ResourceTypeDeclared labSlot = harness.events.await(Topic.RESOURCE_TYPES, "lab-slot",
                ResourceTypeDeclared.class);

        assertThat(labSlot.getCapacity()).isEqualTo(2);
        assertThat(labSlot.getProvisioner()).isEqualTo("semaphore");
        assertThat(labSlot.getPrivilege()).isNull();
        assertThat(harness.events.await(Topic.RESOURCE_TYPES, "short-lived", ResourceTypeDeclared.class)
                .getMaxLifetimeMillis()).isEqualTo(1_000);
    }

    @Test
    void a_type_the_well_does_not_serve_is_refused_naming_the_types_it_serves() {
        harness.jobDemands("wants-gpu", "gpu");

        ResourceProvisionFailed refused = harness.events.await(Topic.RESOURCE_EVENTS, "wants-gpu",
                ResourceProvisionFailed.class);

        assertThat(refused.getReason()).isEqualTo("this resource well does not serve type 'gpu'; it serves "
                + "lab-slot, licence, short-lived");
    }
}
