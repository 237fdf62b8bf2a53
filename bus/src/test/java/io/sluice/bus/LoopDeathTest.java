package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.testapp.CountSubmittedJobs;
import io.sluice.bus.testapp.CountingApp;
import io.sluice.bus.testapp.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A loop that dies of a bug takes the service's health DOWN, naming the loop and the error. */
class LoopDeathTest {

    @Test
    void a_loop_that_dies_reports_the_service_down() throws Exception {
        try (BusHarness harness = new BusHarness("loop-death")) {
            harness.produce(List.of(Fixtures.aJobSubmittedNamed("job-dies", CountSubmittedJobs.DYING_JOB_NAME)));
            ServiceHealth health = new ServiceHealth();
            try (BusSupervisor app = CountingApp.start(harness.wiring, "loop-death", health, CrashPoints.NONE)) {
                // The loop thread dies of the error on purpose: that is what the test watches, not a failure.
                await().atMost(BusHarness.DEADLINE).dontCatchUncaughtExceptions().untilAsserted(() -> {
                    ComponentState loop = health.snapshot().get("consumer counting.requests");
                    assertThat(loop).isNotNull();
                    assertThat(loop.status()).isEqualTo(ComponentState.Status.DOWN);
                    assertThat(loop.detail()).contains("loop died", "job-dies broke an invariant");
                });
                assertThat(health.isUp()).isFalse();
                assertThat(harness.applied()).isEmpty();
            }
        }
    }
}
