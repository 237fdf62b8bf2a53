package io.sluice.jobs.domain;

import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessLaunchFailed;
import io.sluice.events.node.ProcessLost;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.resource.ResourceGranted;
import io.sluice.events.resource.ResourceProvisionFailed;
import io.sluice.events.resource.ResourceReleased;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerFailed;
import io.sluice.events.worker.WorkerLost;
import io.sluice.events.worker.WorkerPreparing;
import io.sluice.events.worker.WorkerReleased;
import java.util.Optional;

/**
 * Which saga decision each event from the wells, the factory and the nodes makes: the one table job-service's
 * consumers and an offline replay ({@code sluice replay}) share, so that a replay decides as the service does.
 */
public final class JobSagaInputs {

    private JobSagaInputs() {
    }

    /** The job an input concerns, or empty when {@code payload} is no input of the saga. */
    public static Optional<String> jobIdOf(Object payload) {
        return Optional.ofNullable(switch (payload) {
            case WorkerPreparing preparing -> preparing.getJobId();
            case WorkerAssigned assigned -> assigned.getJobId();
            case WorkerFailed failed -> failed.getJobId();
            case WorkerLost lost -> lost.getJobId();
            case WorkerReleased released -> released.getJobId();
            case ResourceGranted granted -> granted.getJobId();
            case ResourceProvisionFailed failed -> failed.getJobId();
            case ResourceReleased released -> released.getJobId();
            case ProcessStarted started -> started.getJobId();
            case ProcessExited exited -> exited.getJobId();
            case ProcessLaunchFailed failed -> failed.getJobId();
            case ProcessLost lost -> lost.getJobId();
            default -> null;
        });
    }

    /** Whether {@code payload} is an input of the saga (the process reports of a node, not its worker reports). */
    public static boolean isInput(Object payload) {
        return jobIdOf(payload).isPresent();
    }

    /** The decision {@code payload} makes on {@code saga}; an IllegalArgumentException if it is no input of it. */
    public static JobChange decide(JobSaga saga, Object payload) {
        return switch (payload) {
            case WorkerPreparing preparing ->
                    saga.workerPreparing(preparing.getAttempt(), preparing.getWorkerId(), preparing.getNodeId());
            case WorkerAssigned assigned ->
                    saga.workerAssigned(assigned.getAttempt(), assigned.getWorkerId(), assigned.getNodeId());
            case WorkerFailed failed -> saga.workerFailed(failed.getAttempt(), failed.getReason());
            case WorkerLost lost -> saga.workerLost(lost.getAttempt(), lost.getWorkerId(), lost.getReason());
            case WorkerReleased released -> saga.workerReleased(released.getWorkerId());
            case ResourceGranted granted -> saga.resourceGranted(granted.getResource());
            case ResourceProvisionFailed failed ->
                    saga.resourceProvisionFailed(failed.getResourceType(), failed.getReason());
            case ResourceReleased released -> saga.resourceReleased(released.getResourceId(), released.getReason());
            case ProcessStarted started -> saga.processStarted(started.getNodeId(), started.getWorkerId(),
                    started.getProcess(), started.getPid(), started.getStartedAt());
            case ProcessExited exited -> saga.processExited(exited.getNodeId(), exited.getWorkerId(),
                    exited.getProcess(), exited.getExitCode(), exited.getSignal(), exited.getOomKilled(),
                    exited.getDurationMillis());
            case ProcessLaunchFailed failed -> saga.processFailedToRun(failed.getNodeId(), failed.getWorkerId(),
                    failed.getProcess(), failed.getReason());
            case ProcessLost lost -> saga.processFailedToRun(lost.getNodeId(), lost.getWorkerId(), lost.getProcess(),
                    "lost by its node: " + lost.getReason());
            default -> throw new IllegalArgumentException("not an input of the job saga: " + payload);
        };
    }
}
