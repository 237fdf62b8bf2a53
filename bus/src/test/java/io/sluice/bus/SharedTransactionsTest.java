package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.testapp.CountSubmittedJobs;
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
 * Events that wait in the topic together are applied in shared transactions, each exactly once (and announced to the
 * handler's beforeBatch first, its after-commit action run once), and one that fails among them is set apart without
 * taking the others down with it.
 */
class SharedTransactionsTest {

    private static final int JOBS = 60;

    @Test
    void a_backlog_is_applied_in_fewer_transactions_than_events_and_a_failing_event_is_set_apart() throws Exception {
        try (BusHarness harness = new BusHarness("shared-tx")) {
            List<JobRequestEnvelope> backlog = new ArrayList<>();
            List<String> good = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            good.forEach(job -> backlog.add(Fixtures.aJobSubmitted(job)));
            backlog.add(JOBS / 2, Fixtures.aJobSubmittedNamed("job-explodes", CountSubmittedJobs.EXPLODING_JOB_NAME));
            harness.produce(backlog);
            CountSubmittedJobs.BATCHES.clear();
            CountSubmittedJobs.COMMITTED.clear();

            try (BusSupervisor app = CountingApp.start(harness.wiring, "shared-tx", new ServiceHealth(),
                    CrashPoints.NONE)) {
                harness.awaitAllCounted(good);

                assertThat(harness.applied()).hasSize(JOBS).allSatisfy((job, times) -> assertThat(times).isOne());
                long transactions = Counters.count(harness.countingSchema, "SELECT count(DISTINCT xmin::text) "
                        + "FROM bus_processed_event WHERE consumer = 'counting.requests'");
                assertThat(transactions).isLessThan(JOBS / 2);
                // Each event applied in a shared transaction was announced to the handler's beforeBatch first.
                List<String> shared = Counters.strings(harness.countingSchema, "SELECT p.event_key FROM "
                        + "bus_processed_event p WHERE p.consumer = 'counting.requests' AND (SELECT count(*) FROM "
                        + "bus_processed_event q WHERE q.consumer = p.consumer AND q.xmin::text = p.xmin::text) > 1");
                assertThat(shared).isNotEmpty();
                assertThat(CountSubmittedJobs.BATCHES.stream().flatMap(List::stream).toList()).containsAll(shared);
                // The batch holding the failing event rolled back: its after-commit actions ran only once the
                // events set apart from it committed, once each.
                assertThat(CountSubmittedJobs.COMMITTED).containsExactlyInAnyOrderElementsOf(good);
                assertThat(harness.scope.topicReader().readAll(harness.topic(Topic.DEAD_LETTER)))
                        .singleElement().satisfies(record -> assertThat(new String(record.value()))
                                .contains("job-explodes"));
            }
        }
    }
}
