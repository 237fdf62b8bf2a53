package io.sluice.well.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Admission within capacity: oldest demand first, lowest free slot, never past the capacity. */
class AdmitInFifoOrderTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final ResourceType LAB = new ResourceType("lab-slot", 2, "lab", "semaphore", Duration.ofHours(1));

    static QueuedDemand demandOf(String jobId) {
        return new QueuedDemand(jobId, LAB.name(), "alice", Map.of(), T0);
    }

    @Test
    void the_oldest_demands_get_the_free_slots_and_the_rest_wait() {
        List<ResourceInstance> admitted = AdmitInFifoOrder.admit(LAB, Set.of(),
                List.of(demandOf("job-1"), demandOf("job-2"), demandOf("job-3")), T0);

        assertThat(admitted).extracting(ResourceInstance::jobId).containsExactly("job-1", "job-2");
        assertThat(admitted).extracting(ResourceInstance::slot).containsExactly(0, 1);
        assertThat(admitted).allSatisfy(instance -> {
            assertThat(instance.state()).isEqualTo(InstanceState.PROVISIONING);
            assertThat(instance.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
            assertThat(instance.instanceId()).isEqualTo(instance.jobId() + "/lab-slot");
        });
    }

    @Test
    void a_freed_slot_goes_to_the_next_demand_in_line() {
        assertThat(AdmitInFifoOrder.admit(LAB, Set.of(1), List.of(demandOf("job-3"), demandOf("job-4")), T0))
                .extracting(ResourceInstance::jobId, ResourceInstance::slot)
                .containsExactly(tuple("job-3", 0));
        assertThat(AdmitInFifoOrder.admit(LAB, Set.of(0, 1), List.of(demandOf("job-3")), T0)).isEmpty();
    }
}
