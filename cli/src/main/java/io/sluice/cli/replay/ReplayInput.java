package io.sluice.cli.replay;

import java.time.Instant;
import java.util.List;

/**
 * One input job-service applied to the job: a recorded event, or its deadline timer (ExpireOverdueJobsTask, which
 * records no event of its own: its outputs have no cause) firing at {@code timerAt}; with the outputs recorded as
 * caused by it.
 */
record ReplayInput(RecordedEvent event, Instant timerAt, List<RecordedEvent> recorded) {

    ReplayInput {
        recorded = List.copyOf(recorded);
    }

    boolean timer() {
        return event == null;
    }

    /** The input in a few words: where it is and what it is, or the timer and when it fired. */
    String describe() {
        return timer() ? "timer (queue/run deadline check) at " + timerAt : event.place() + " " + event.type();
    }
}
