package io.sluice.factory.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A placed worker's answers to its node and its job: next state, events owed, slot freed, and no way back. */
class WorkerLifecycleTest {

    private static final Instant LAST_HEARD = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void a_prepared_worker_is_assigned_once() {
        WorkerChange change = WorkerLifecycle.prepared(aPreparingWorker());

        assertThat(change.after().state()).isEqualTo(WorkerState.ASSIGNED);
        assertThat(change.events()).containsExactly(new FactoryEvent.Assigned(change.after()));
        assertThat(WorkerLifecycle.prepared(change.after()).events()).isEmpty();
    }

    @Test
    void a_failed_preparation_fails_the_job_with_the_node_reason_and_destroys_the_worker() {
        WorkerChange change = WorkerLifecycle.prepareFailed(aPreparingWorker(), "sha256 mismatch");

        assertThat(change.after().state()).isEqualTo(WorkerState.DESTROYING);
        assertThat(change.events()).containsExactly(
                new FactoryEvent.Failed("job-1", 1, "job-1.1", "n1", "sha256 mismatch"),
                new FactoryEvent.Destroy("n1", "job-1.1", "job-1", "prepare failed: sha256 mismatch"));
        assertThat(change.freedSlot()).as("the slot is free only once the node destroyed it").isFalse();
        assertThat(WorkerLifecycle.destroyed(change.after()).events()).as("no release was asked").isEmpty();
    }

    @Test
    void a_released_worker_is_destroyed_and_its_release_answered_once_the_node_destroyed_it() {
        WorkerChange release = WorkerLifecycle.releaseRequested(anAssignedWorker());
        assertThat(release.events()).containsExactly(new FactoryEvent.Destroy("n1", "job-1.1", "job-1", "released"));

        WorkerChange destroyed = WorkerLifecycle.destroyed(release.after());

        assertThat(destroyed.freedSlot()).isTrue();
        assertThat(destroyed.events()).containsExactly(new FactoryEvent.Released(destroyed.after()));
    }

    @Test
    void a_withdrawn_demand_destroys_its_placed_worker_and_is_answered_with_its_release() {
        WorkerChange withdrawn = WorkerLifecycle.withdrawn(aPreparingWorker(), "cancelled by alice");

        assertThat(withdrawn.events()).containsExactly(
                new FactoryEvent.Destroy("n1", "job-1.1", "job-1", "demand withdrawn: cancelled by alice"));
        assertThat(WorkerLifecycle.destroyed(withdrawn.after()).events()).hasOnlyElementsOfType(FactoryEvent.Released.class);
    }

    @Test
    void a_withdrawn_demand_whose_worker_is_gone_is_answered_with_worker_failed() {
        Worker lost = anAssignedWorker().lost();

        assertThat(WorkerLifecycle.withdrawn(lost, null).events()).containsExactly(
                new FactoryEvent.Failed("job-1", 1, "job-1.1", "n1", "demand withdrawn"));
    }

    @Test
    void a_lost_node_loses_the_workers_their_jobs_wait_on_and_answers_pending_releases() {
        WorkerChange running = WorkerLifecycle.nodeLost(anAssignedWorker(), "node-lost: n1", LAST_HEARD);
        WorkerChange releasing = WorkerLifecycle.nodeLost(anAssignedWorker().destroying(true), "node-lost", LAST_HEARD);
        WorkerChange failed = WorkerLifecycle.nodeLost(aPreparingWorker().destroying(false), "node-lost", LAST_HEARD);

        assertThat(running.events()).containsExactly(new FactoryEvent.Lost(running.after(), "node-lost: n1", LAST_HEARD));
        assertThat(releasing.events()).containsExactly(new FactoryEvent.Released(releasing.after()));
        assertThat(failed.events()).isEmpty();
        assertThat(running.after().state()).isEqualTo(WorkerState.LOST);
    }

    @Test
    void a_gone_worker_cannot_come_back() {
        Worker destroyed = anAssignedWorker().destroying(true).destroyed();

        assertThatThrownBy(destroyed::assigned)
                .isInstanceOf(IllegalWorkerStateChangeException.class)
                .hasMessage("worker job-1.1 cannot go from DESTROYED to ASSIGNED");
    }

    private static Worker aPreparingWorker() {
        return Worker.placed(new Placement(new QueuedDemand("job-1", 1, "linux", 1), "n1"));
    }

    private static Worker anAssignedWorker() {
        return aPreparingWorker().assigned();
    }
}
