package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.TaskContext;
import io.sluice.bus.testapp.CountingApp;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.events.job.JobQueued;
import io.sluice.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A periodic task runs its passes once the plumbing runs, survives a failing pass, and its events are published. */
class PeriodicTaskTest {

    /** Fails its first pass, then emits one JobQueued per pass for three passes. */
    private static final class EmitThreeTicks implements PeriodicTask {
        final AtomicInteger passes = new AtomicInteger();
        final AtomicInteger emitted = new AtomicInteger();

        @Override
        public String name() {
            return "emit-three-ticks";
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(50);
        }

        @Override
        public void runOnce(TaskContext context) throws Exception {
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("the first pass fails on purpose");
            }
            if (emitted.get() >= 3) {
                return;
            }
            String jobId = "tick-" + emitted.get();
            context.inTransaction(transaction -> {
                transaction.emit(Topic.JOB_EVENTS, jobId, JobEventEnvelope.newBuilder()
                        .setMetadata(transaction.causedMetadata(jobId))
                        .setPayload(JobQueued.newBuilder().setJobId(jobId).setQueueDeadline(null).build())
                        .build());
                return null;
            });
            emitted.incrementAndGet();
        }
    }

    @Test
    void a_task_runs_again_after_a_failing_pass_and_its_events_reach_the_topic() throws Exception {
        EmitThreeTicks task = new EmitThreeTicks();
        try (BusHarness harness = new BusHarness("periodic-task");
             BusSupervisor app = CountingApp.start(harness.wiring, "periodic", new ServiceHealth(),
                     CrashPoints.NONE, List.of(task))) {
            await().atMost(BusHarness.DEADLINE).untilAsserted(() -> {
                List<JobEventEnvelope> events = harness.readAll(Topic.JOB_EVENTS);
                assertThat(events).extracting(e -> e.getMetadata().getCorrelationId())
                        .containsExactlyInAnyOrder("tick-0", "tick-1", "tick-2");
                assertThat(events).allSatisfy(e -> assertThat(e.getMetadata().getCausationId()).isNull());
            });
            assertThat(task.passes.get()).isGreaterThan(4);
        }
    }
}
