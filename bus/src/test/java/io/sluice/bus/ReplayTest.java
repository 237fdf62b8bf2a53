package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.testapp.CountingApp;
import io.sluice.bus.testapp.Fixtures;
import io.sluice.schemas.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Replaying a topic into its consumer, as a user does to debug, changes no state and emits nothing twice. */
class ReplayTest {

    private static final int JOBS = 10;

    @Test
    void resetting_the_consumers_to_the_beginning_changes_nothing() throws Exception {
        try (BusHarness harness = new BusHarness("replay")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            harness.produce(jobs.stream().map(Fixtures::aJobSubmitted).toList());
            try (BusSupervisor first = CountingApp.start(harness.wiring, "first", new ServiceHealth(),
                    CrashPoints.NONE)) {
                harness.awaitAllCounted(jobs);
                harness.awaitCaughtUp("counting.requests", Topic.JOB_REQUESTS);
                harness.awaitCaughtUp("counting.events", Topic.JOB_EVENTS);
            }

            rewindToBeginning(harness, "counting.requests", Topic.JOB_REQUESTS);
            rewindToBeginning(harness, "counting.events", Topic.JOB_EVENTS);
            try (BusSupervisor replaying = CountingApp.start(harness.wiring, "replaying", new ServiceHealth(),
                    CrashPoints.NONE)) {
                harness.awaitCaughtUp("counting.requests", Topic.JOB_REQUESTS);
                harness.awaitCaughtUp("counting.events", Topic.JOB_EVENTS);

                assertThat(harness.applied().values()).hasSize(JOBS).containsOnly(1);
                assertThat(harness.accepted().values()).hasSize(JOBS).containsOnly(1);
                assertThat(harness.outboxRows()).isEqualTo(JOBS);
                assertThat(harness.readAll(Topic.JOB_EVENTS)).hasSize(JOBS);
            }
        }
    }

    @Test
    void copies_of_an_event_in_one_batch_are_applied_once() throws Exception {
        try (BusHarness harness = new BusHarness("copies-in-a-batch")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            // Each request twice in a row, as a sender's relay publishes rows again after a crash: read in one poll.
            harness.produce(jobs.stream().map(Fixtures::aJobSubmitted).flatMap(e -> Stream.of(e, e)).toList());
            try (BusSupervisor app = CountingApp.start(harness.wiring, "copies", new ServiceHealth(),
                    CrashPoints.NONE)) {
                harness.awaitAllCounted(jobs);
                harness.awaitCaughtUp("counting.requests", Topic.JOB_REQUESTS);

                assertThat(harness.accepted().values()).hasSize(JOBS).containsOnly(1);
                assertThat(harness.outboxRows()).isEqualTo(JOBS);
            }
        }
    }

    private static void rewindToBeginning(BusHarness harness, String group, Topic topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
        for (TopicPartition partition : harness.partitions(topic)) {
            beginning.put(partition, new OffsetAndMetadata(0));
        }
        harness.scope.admin().alterConsumerGroupOffsets(harness.naming.prefix() + group, beginning).all().get();
        assertThat(harness.committed(group).values()).allMatch(o -> o.offset() == 0);
    }
}
