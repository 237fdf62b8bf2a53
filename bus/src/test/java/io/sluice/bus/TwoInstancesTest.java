package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.PlumbingSupervisor;
import io.sluice.bus.testapp.CountingApp;
import io.sluice.bus.testapp.Fixtures;
import io.sluice.schemas.Topic;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Two instances of a service on one schema and one consumer group share the work without doing any twice. */
class TwoInstancesTest {

    private static final int JOBS = 40;

    @Test
    void two_instances_apply_and_publish_each_event_exactly_once() throws Exception {
        try (BusBench bench = new BusBench("two-instances")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            try (PlumbingSupervisor one = CountingApp.start(bench.wiring, "one", new ServiceHealth(), CrashPoints.NONE);
                 PlumbingSupervisor two = CountingApp.start(bench.wiring, "two", new ServiceHealth(), CrashPoints.NONE)) {
                bench.produce(jobs.stream().map(Fixtures::aJobSubmitted).toList());
                bench.awaitAllCounted(jobs);

                assertThat(bench.applied().values()).containsOnly(1);
                assertThat(bench.accepted().values()).containsOnly(1);
                assertThat(bench.outboxRows()).isEqualTo(JOBS);
                assertThat(bench.readAll(Topic.JOB_EVENTS)).as("no relay published a row twice").hasSize(JOBS);
            }
        }
    }
}
