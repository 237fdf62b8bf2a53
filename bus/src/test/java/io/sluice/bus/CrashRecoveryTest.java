package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.bus.health.CrashPoint;
import io.sluice.bus.testapp.CrashingCountingProcess;
import io.sluice.bus.testapp.Fixtures;
import io.sluice.events.job.JobAccepted;
import io.sluice.events.job.JobEventEnvelope;
import io.sluice.schemas.Topic;
import io.sluice.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a service's JVM at each dangerous point of the plumbing, starts it again, and counts: every event takes
 * effect exactly once, upstream (the consumed request) and downstream (the event it emitted, consumed again).
 */
class CrashRecoveryTest {

    private static final int JOBS = 30;
    /**
     * Mid-stream for the per-event point; the first time for the per-transaction and per-relay-batch points, which a
     * backlog of events sharing transactions may reach only once.
     */
    private static int crashOnHit(CrashPoint point) {
        return point == CrashPoint.CONSUMED_BEFORE_DB_COMMIT ? 3 : 1;
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void a_crash_at_each_point_loses_no_event_and_applies_none_twice(CrashPoint point) throws Exception {
        try (BusHarness harness = new BusHarness("crash-" + point)) {
            List<String> jobs = IntStream.range(0, JOBS).mapToObj(i -> "job-" + i).toList();
            harness.produce(jobs.stream().map(Fixtures::aJobSubmitted).toList());

            ChildJvm crashing = startCountingProcess(harness, point.name(), crashOnHit(point));
            assertThat(crashing.awaitExit(BusHarness.DEADLINE))
                    .as("the child halts at %s; its output:%n%s", point, crashing.output())
                    .isEqualTo(CrashingCountingProcess.CRASH_EXIT_CODE);

            ChildJvm recovered = startCountingProcess(harness, "NONE", 0);
            try {
                harness.awaitAllCounted(jobs);
                assertThat(harness.applied().values()).as("requests applied once each").containsOnly(1);
                assertThat(harness.accepted().values()).as("accepted events applied once each").containsOnly(1);
                assertThat(harness.outboxRows()).as("one outbox row per job").isEqualTo(JOBS);

                List<JobEventEnvelope> published = harness.readAll(Topic.JOB_EVENTS);
                assertThat(BusHarness.eventIds(published)).hasSize(JOBS);
                assertThat(published).map(e -> ((JobAccepted) e.getPayload()).getJobId())
                        .containsAll(jobs);
                if (point == CrashPoint.PUBLISHED_BEFORE_MARKED) {
                    assertThat(published).as("the batch acknowledged before the crash was published again, and "
                            + "the downstream consumer still applied it once").hasSizeGreaterThan(JOBS);
                }
            } finally {
                // the work may all be done before the child finished starting: stop it only once it has started
                await().atMost(BusHarness.DEADLINE).until(() -> recovered.output().contains("STARTED"));
                assertThat(recovered.stop(Duration.ofSeconds(30))).isEqualTo(143);
            }
            assertThat(recovered.output()).contains("STOPPED CLEANLY");
        }
    }

    private static ChildJvm startCountingProcess(BusHarness harness, String crashPoint, int onHit) throws Exception {
        List<String> args = new ArrayList<>(harness.wiring.asArgs());
        args.add(crashPoint);
        args.add(String.valueOf(onHit));
        return ChildJvm.start(crashPoint, CrashingCountingProcess.class, args);
    }
}
