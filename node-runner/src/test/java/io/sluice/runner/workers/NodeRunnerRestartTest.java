package io.sluice.runner.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kill -9 the runner while a job runs and start it again: the job's process is adopted and its exit reported. */
class NodeRunnerRestartTest {

    @TempDir
    Path stateDir;

    @Test
    void a_process_outlives_a_killed_runner_and_the_restarted_runner_reports_its_exit() throws Exception {
        try (NodeBench bench = new NodeBench("node-restart", NodeRunnerProcess.NODE)) {
            List<String> args = List.of(bench.scope.bootstrapServers(), bench.scope.topicPrefix(),
                    stateDir.toString());
            ChildJvm first = ChildJvm.start("runner", NodeRunnerProcess.class, args);
            ChildJvm second = null;
            try {
                bench.send(bench.prepare("w1", "job-1"));
                bench.awaitEvent(WorkerPrepared.class, e -> e.getWorkerId().equals("w1"));
                bench.send(bench.launch("w1", "job-1", "long", "echo begun; read line < /dev/null; "
                        + "i=0; while [ $i -lt 20 ]; do i=$((i+1)); sleep 0.1; done; echo finished; exit 7"));
                bench.awaitEvent(ProcessStarted.class, e -> e.getProcess().equals("long"));
                await().atMost(NodeBench.DEADLINE).until(() -> NodeBench.text(bench.logs()).contains("begun"));

                first.kill();
                assertThat(bench.nodeEvents()).noneMatch(ProcessExited.class::isInstance);

                second = ChildJvm.start("runner-again", NodeRunnerProcess.class, args);
                ProcessExited exited = bench.awaitEvent(ProcessExited.class, e -> e.getProcess().equals("long"));
                assertThat(exited.getExitCode()).as(second.output()).isEqualTo(7);
                await().atMost(NodeBench.DEADLINE).until(() -> NodeBench.text(bench.logs()).contains("finished"));
                assertThat(bench.nodeEvents()).filteredOn(ProcessStarted.class::isInstance).hasSize(1);
                assertThat(bench.nodeEvents()).filteredOn(ProcessExited.class::isInstance).hasSize(1);
            } finally {
                first.kill();
                if (second != null) {
                    assertThat(second.stop(Duration.ofSeconds(30))).isEqualTo(143);
                }
            }
        }
    }
}
