package io.sluice.factory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a heartbeat's list of workers means (strays to destroy, strays gone), worker ids, and node liveness. */
class ReconciliationTest {

    @Test
    void reported_workers_the_factory_does_not_know_as_live_there_are_destroyed_once() {
        Reconciliation reconciliation = Reconciliation.of(List.of("live.1", "ghost.1", "told.1", "old.1"),
                Set.of("live.1"), Set.of("told.1", "gone.1"), Set.of("old.1"));

        assertThat(reconciliation.toDestroy()).containsExactly("ghost.1");
        assertThat(reconciliation.goneStrays()).containsExactly("gone.1");
    }

    @Test
    void a_worker_id_names_its_job_and_attempt() {
        assertThat(WorkerIds.of("job.with.dots", 3)).isEqualTo("job.with.dots.3");
        assertThat(WorkerIds.jobIdOf("job.with.dots.3")).isEqualTo("job.with.dots");
        assertThat(WorkerIds.jobIdOf("handmade")).isEqualTo("handmade");
    }

    @Test
    void a_node_is_heard_of_when_it_sent_its_heartbeat_but_never_later_than_it_arrived() {
        Instant sent = Instant.parse("2025-01-01T00:00:10Z");
        Instant received = Instant.parse("2025-01-01T00:00:11Z");

        assertThat(NodeLiveness.heardAt(sent, received)).isEqualTo(sent);
        assertThat(NodeLiveness.heardAt(received.plusSeconds(5), received)).isEqualTo(received);
        assertThat(NodeLiveness.isSilent(sent, sent.plusSeconds(15), Duration.ofSeconds(15))).isFalse();
        assertThat(NodeLiveness.isSilent(sent, sent.plusMillis(15_001), Duration.ofSeconds(15))).isTrue();
        assertThat(NodeLiveness.lostReason("n1", sent, sent.plusMillis(16_200), Duration.ofSeconds(15)))
                .isEqualTo("node-lost: node n1 sent no heartbeat for 16.2 s (since 2025-01-01T00:00:10Z; limit 15.0 s)");
    }
}
