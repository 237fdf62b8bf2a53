package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.testapp.CountingApp;
import io.sluice.bus.testapp.Counters;
import io.sluice.bus.testapp.Fixtures;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Events a handler is not concerned with (here cancel requests, next to the submissions it counts) are passed over
 * without a transaction: no processed-event record, nothing dead-lettered, and the loop commits past them, alone or
 * mixed into a backlog.
 */
class NotConcernedEventsTest {

    private static final int JOBS = 20;
    private static final String CONSUMER = "counting.requests";

    @Test
    void events_the_handler_is_not_concerned_with_leave_no_record_and_hold_nothing_up() throws Exception {
        try (BusHarness harness = new BusHarness("not-concerned")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            List<JobRequestEnvelope> submissions = jobs.stream().map(Fixtures::aJobSubmitted).toList();
            List<JobRequestEnvelope> backlog = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                backlog.add(submissions.get(i));
                backlog.add(Fixtures.aJobCancelRequested(jobs.get(i)));
            }
            harness.produce(backlog);

            try (BusSupervisor app = CountingApp.start(harness.wiring, "not-concerned", new ServiceHealth(),
                    CrashPoints.NONE)) {
                harness.awaitAllCounted(jobs);
                harness.awaitCaughtUp(CONSUMER, Topic.JOB_REQUESTS);
                // One alone, on a loop that is idle by now: it has a poll of its own.
                harness.produce(List.of(Fixtures.aJobCancelRequested("job-0")));
                harness.awaitCaughtUp(CONSUMER, Topic.JOB_REQUESTS);

                assertThat(Counters.strings(harness.countingSchema,
                        "SELECT event_key FROM bus_processed_event WHERE consumer = '" + CONSUMER + "'"))
                        .containsExactlyInAnyOrderElementsOf(BusHarness.eventIds(submissions));
                assertThat(harness.applied()).hasSize(JOBS).allSatisfy((job, times) -> assertThat(times).isOne());
                assertThat(harness.scope.topicReader().readAll(harness.topic(Topic.DEAD_LETTER))).isEmpty();
            }
        }
    }
}
