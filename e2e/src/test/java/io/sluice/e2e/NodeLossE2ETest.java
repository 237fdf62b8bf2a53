package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.events.JobOutcome;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.job.StepStarted;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.schemas.Topic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node that stops heart-beating is lost: its job fails with node-lost; when the node comes back, the factory
 * has it destroy the worker nobody owns any more, so its process does not run on unaccounted.
 */
class NodeLossE2ETest {

    @Test
    void a_job_on_a_node_that_stops_heart_beating_fails_node_lost_and_the_node_destroys_the_worker_when_back()
            throws Exception {
        try (SluiceSystem sluice = new SluiceSystem("node-loss", 1, Map.of("sluice.factory.node-lost-after", "3s"))) {
            sluice.submit("stranded", aJob().withSteps(aStep("waits", "/bin/sleep", "120")).spec());
            sluice.bus.await(Topic.JOB_EVENTS, "stranded", StepStarted.class);

            sluice.nodeRunner.jvm().suspend();
            JobFinished finished = sluice.bus.await(Topic.JOB_EVENTS, "stranded", JobFinished.class);
            assertThat(finished.getOutcome()).isEqualTo(JobOutcome.FAILED);
            assertThat(finished.getReason()).startsWith("node-lost: node node-loss-node sent no heartbeat for ");
            sluice.bus.await(Topic.JOB_EVENTS, "stranded", JobCleanedUp.class);

            sluice.nodeRunner.jvm().resume();
            assertThat(sluice.bus.await(Topic.NODE_EVENTS, "stranded", WorkerDestroyed.class).getWorkerId())
                    .isEqualTo("stranded.1");
            assertThat(sluice.bus.await(Topic.NODE_EVENTS, "stranded", ProcessExited.class).getStopRequested())
                    .isTrue();
        }
    }
}
