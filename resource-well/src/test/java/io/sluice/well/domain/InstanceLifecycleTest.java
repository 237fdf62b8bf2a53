package io.sluice.well.domain;

import static io.sluice.well.domain.AdmitInFifoOrderTest.LAB;
import static io.sluice.well.domain.AdmitInFifoOrderTest.T0;
import static io.sluice.well.domain.AdmitInFifoOrderTest.demandOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An instance's life, decision by decision: what it becomes and what its job is told. */
class InstanceLifecycleTest {

    private final ResourceInstance provisioning = ResourceInstance.admitted(demandOf("job-1"), LAB, 0, T0);

    @Test
    void a_made_instance_is_granted_then_released_at_its_jobs_request_freeing_its_capacity() {
        InstanceChange granted = InstanceLifecycle.provisioned(provisioning);
        assertThat(granted.after().state()).isEqualTo(InstanceState.GRANTED);
        assertThat(granted.events()).containsExactly(new WellEvent.Granted(granted.after()));

        InstanceChange releasing = InstanceLifecycle.releaseRequested(granted.after());
        assertThat(releasing.after().state()).isEqualTo(InstanceState.RELEASING);
        assertThat(releasing.after().releaseReason()).isEqualTo(InstanceLifecycle.RELEASED_BY_JOB);
        assertThat(releasing.events()).isEmpty();
        assertThat(releasing.freedCapacity()).isFalse();

        InstanceChange released = InstanceLifecycle.released(releasing.after());
        assertThat(released.after().state()).isEqualTo(InstanceState.RELEASED);
        assertThat(released.events()).containsExactly(new WellEvent.Released(released.after()));
        assertThat(released.freedCapacity()).isTrue();
    }

    @Test
    void a_failed_provisioning_fails_the_job_with_the_reason_and_frees_capacity() {
        InstanceChange failed = InstanceLifecycle.provisionFailed(provisioning, "permission denied to create database");

        assertThat(failed.after().state()).isEqualTo(InstanceState.FAILED);
        assertThat(failed.events()).containsExactly(new WellEvent.ProvisionFailed(failed.after(),
                "permission denied to create database"));
        assertThat(failed.freedCapacity()).isTrue();
    }

    @Test
    void a_demand_withdrawn_while_its_instance_is_made_releases_it_and_the_late_result_changes_nothing() {
        InstanceChange withdrawn = InstanceLifecycle.withdrawn(provisioning, "cancelled by bob");
        assertThat(withdrawn.after().state()).isEqualTo(InstanceState.RELEASING);
        assertThat(withdrawn.after().releaseReason()).isEqualTo("demand withdrawn: cancelled by bob");

        assertThat(InstanceLifecycle.provisioned(withdrawn.after()).changed()).isFalse();
        assertThat(InstanceLifecycle.provisionFailed(withdrawn.after(), "x").changed()).isFalse();
        assertThat(InstanceLifecycle.withdrawn(withdrawn.after(), null).changed()).isFalse();
    }

    @Test
    void a_release_request_for_a_released_instance_is_answered_at_once_and_changes_nothing() {
        ResourceInstance released = InstanceLifecycle.released(InstanceLifecycle.releaseRequested(
                InstanceLifecycle.provisioned(provisioning).after()).after()).after();

        InstanceChange again = InstanceLifecycle.releaseRequested(released);

        assertThat(again.changed()).isFalse();
        assertThat(again.events()).containsExactly(new WellEvent.Released(released));
    }

    @Test
    void a_granted_instance_past_its_lifetime_is_released_by_force_saying_so() {
        ResourceInstance granted = InstanceLifecycle.provisioned(provisioning).after();

        assertThat(InstanceLifecycle.expiredAt(granted, T0.plus(Duration.ofMinutes(59))).changed()).isFalse();
        InstanceChange expired = InstanceLifecycle.expiredAt(granted, T0.plus(Duration.ofHours(1)));

        assertThat(expired.after().state()).isEqualTo(InstanceState.RELEASING);
        assertThat(expired.after().releaseReason()).isEqualTo("expired: its lifetime ended at 2026-12-06T11:00:00Z");
    }

    @Test
    void the_table_refuses_a_move_back_or_out_of_an_end() {
        assertThat(AllowedInstanceStateChanges.allows(InstanceState.GRANTED, InstanceState.PROVISIONING)).isFalse();
        assertThat(AllowedInstanceStateChanges.allows(InstanceState.RELEASED, InstanceState.RELEASING)).isFalse();
        assertThat(AllowedInstanceStateChanges.allows(InstanceState.FAILED, InstanceState.RELEASING)).isFalse();
        assertThatThrownBy(() -> provisioning.released())
                .hasMessage("resource instance job-1/lab-slot cannot go from PROVISIONING to RELEASED");
    }
}
