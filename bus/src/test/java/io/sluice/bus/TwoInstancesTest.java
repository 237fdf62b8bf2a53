package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
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
        try (BusHarness harness = new BusHarness("two-instances")) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            try (BusSupervisor one = CountingApp.start(harness.wiring, "one", new ServiceHealth(), CrashPoints.NONE);
                 BusSupervisor two = CountingApp.start(harness.wiring, "two", new ServiceHealth(), CrashPoints.NONE)) {
                harness.produce(jobs.stream().map(Fixtures::aJobSubmitted).toList());
                harness.awaitAllCounted(jobs);

                assertThat(harness.applied().values()).containsOnly(1);
                assertThat(harness.accepted().values()).containsOnly(1);
                assertThat(harness.outboxRows()).isEqualTo(JOBS);
                assertThat(harness.readAll(Topic.JOB_EVENTS)).as("no relay published a row twice").hasSize(JOBS);
            }
        }
    }
}
