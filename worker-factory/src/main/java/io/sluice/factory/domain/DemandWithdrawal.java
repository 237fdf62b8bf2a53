package io.sluice.factory.domain;

import java.util.Optional;

/**
 * What a withdrawal does to a demand, by what became of the demand: every withdrawal is answered, at once with
 * WorkerFailed ("demand withdrawn") unless a worker of the demand was placed, which then owes the answer.
 */
public enum DemandWithdrawal {
    /** Not seen yet: it is recorded as withdrawn, so that the demand, were it to come, is not placed. */
    RECORD_AS_WITHDRAWN,
    /** Queued: it leaves its target's queue, withdrawn. */
    LEAVE_QUEUE,
    /** Withdrawn or rejected before: nothing changes, and the answer is given again. */
    ANSWER_AGAIN,
    /** Placed: its worker is withdrawn ({@link WorkerLifecycle#withdrawn}), which answers. */
    WITHDRAW_WORKER;

    /** The withdrawal of a demand in {@code state}; empty when the factory has not seen the demand. */
    public static DemandWithdrawal of(Optional<DemandState> state) {
        if (state.isEmpty()) {
            return RECORD_AS_WITHDRAWN;
        }
        return switch (state.get()) {
            case QUEUED -> LEAVE_QUEUE;
            case WITHDRAWN, REJECTED -> ANSWER_AGAIN;
            case PLACED -> WITHDRAW_WORKER;
        };
    }

    /** The answer given at once when no placed worker owes one. */
    public static FactoryEvent failedAnswer(String jobId, int attempt) {
        return new FactoryEvent.Failed(jobId, attempt, null, null, WorkerLifecycle.DEMAND_WITHDRAWN);
    }
}
