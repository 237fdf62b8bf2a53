package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.PlumbingSupervisor;
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
        try (BusBench bench = new BusBench("replay")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            bench.produce(jobs.stream().map(Fixtures::aJobSubmitted).toList());
            try (PlumbingSupervisor first = CountingApp.start(bench.wiring, "first", new ServiceHealth(),
                    CrashPoints.NONE)) {
                bench.awaitAllCounted(jobs);
                bench.awaitCaughtUp("counting.requests", Topic.JOB_REQUESTS);
                bench.awaitCaughtUp("counting.events", Topic.JOB_EVENTS);
            }

            rewindToBeginning(bench, "counting.requests", Topic.JOB_REQUESTS);
            rewindToBeginning(bench, "counting.events", Topic.JOB_EVENTS);
            try (PlumbingSupervisor replaying = CountingApp.start(bench.wiring, "replaying", new ServiceHealth(),
                    CrashPoints.NONE)) {
                bench.awaitCaughtUp("counting.requests", Topic.JOB_REQUESTS);
                bench.awaitCaughtUp("counting.events", Topic.JOB_EVENTS);

                assertThat(bench.applied().values()).hasSize(JOBS).containsOnly(1);
                assertThat(bench.accepted().values()).hasSize(JOBS).containsOnly(1);
                assertThat(bench.outboxRows()).isEqualTo(JOBS);
                assertThat(bench.readAll(Topic.JOB_EVENTS)).hasSize(JOBS);
            }
        }
    }

    @Test
    void copies_of_an_event_in_one_batch_are_applied_once() throws Exception {
        try (BusBench bench = new BusBench("copies-in-a-batch")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            // Each request twice in a row, as a sender's relay publishes rows again after a crash: read in one poll.
            bench.produce(jobs.stream().map(Fixtures::aJobSubmitted).flatMap(e -> Stream.of(e, e)).toList());
            try (PlumbingSupervisor app = CountingApp.start(bench.wiring, "copies", new ServiceHealth(),
                    CrashPoints.NONE)) {
                bench.awaitAllCounted(jobs);
                bench.awaitCaughtUp("counting.requests", Topic.JOB_REQUESTS);

                assertThat(bench.accepted().values()).hasSize(JOBS).containsOnly(1);
                assertThat(bench.outboxRows()).isEqualTo(JOBS);
            }
        }
    }

    private static void rewindToBeginning(BusBench bench, String group, Topic topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
        for (TopicPartition partition : bench.partitions(topic)) {
            beginning.put(partition, new OffsetAndMetadata(0));
        }
        bench.scope.admin().alterConsumerGroupOffsets(bench.naming.prefix() + group, beginning).all().get();
        assertThat(bench.committed(group).values()).allMatch(o -> o.offset() == 0);
    }
}
