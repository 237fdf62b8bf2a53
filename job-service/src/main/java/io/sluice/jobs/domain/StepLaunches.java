package io.sluice.jobs.domain;

import io.sluice.events.StepSpec;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.worker.FirstLaunch;
import java.util.List;

/** How a step is launched: its process as the node runs it, sent by job-service or, for step 0, by the factory. */
final class StepLaunches {

    private StepLaunches() {
    }

    /** Step 0's launch, carried by the worker demand; the factory adds the node, worker and job. */
    static FirstLaunch firstLaunchOf(StepSpec step) {
        return FirstLaunch.newBuilder().setProcess(step.getName()).setArgv(argvOf(step)).setEnv(step.getEnv())
                .setWorkdir(step.getWorkdir()).setLimits(step.getLimits()).setCapabilities(step.getCapabilities())
                .setShutdownSignal(step.getShutdownSignal()).setStopGraceMillis(step.getStopGraceMillis()).build();
    }

    /** A later step's launch in the job's assigned worker. */
    static LaunchProcess launchOf(StepSpec step, String nodeId, String workerId, String jobId) {
        return LaunchProcess.newBuilder().setNodeId(nodeId).setWorkerId(workerId).setJobId(jobId)
                .setProcess(step.getName()).setArgv(argvOf(step)).setEnv(step.getEnv()).setWorkdir(step.getWorkdir())
                .setLimits(step.getLimits()).setCapabilities(step.getCapabilities())
                .setShutdownSignal(step.getShutdownSignal()).setStopGraceMillis(step.getStopGraceMillis()).build();
    }

    private static List<String> argvOf(StepSpec step) {
        return step.getScript() != null ? List.of("/bin/sh", "-c", step.getScript()) : step.getArgv();
    }
}
