package io.sluice.factory.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which withdrawals are answered at once and which wait for the placed worker. */
class DemandWithdrawalTest {

    @Test
    void a_withdrawal_is_answered_at_once_unless_a_worker_of_the_demand_was_placed() {
        assertThat(DemandWithdrawal.of(Optional.empty())).isEqualTo(DemandWithdrawal.RECORD_AS_WITHDRAWN);
        assertThat(DemandWithdrawal.of(Optional.of(DemandState.QUEUED))).isEqualTo(DemandWithdrawal.LEAVE_QUEUE);
        assertThat(DemandWithdrawal.of(Optional.of(DemandState.WITHDRAWN))).isEqualTo(DemandWithdrawal.ANSWER_AGAIN);
        assertThat(DemandWithdrawal.of(Optional.of(DemandState.REJECTED))).isEqualTo(DemandWithdrawal.ANSWER_AGAIN);
        assertThat(DemandWithdrawal.of(Optional.of(DemandState.PLACED))).isEqualTo(DemandWithdrawal.WITHDRAW_WORKER);
        assertThat(DemandWithdrawal.failedAnswer("job-1", 2))
                .isEqualTo(new FactoryEvent.Failed("job-1", 2, null, null, "demand withdrawn"));
    }
}
