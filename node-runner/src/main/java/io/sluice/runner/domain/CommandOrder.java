package io.sluice.runner.domain;

import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.NodeCommandEnvelope;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.StopProcess;

/**
 * Which commands must be applied in the order read: those of one worker, so that a LaunchProcess right after its
 * worker's PrepareWorker runs once the worker is prepared, and a process is stopped only after it was launched.
 */
public final class CommandOrder {

    /** The lane of commands that name no worker (one the runner does not know): they keep their order too. */
    public static final String NO_WORKER = "";

    private CommandOrder() {
    }

    public static String laneOf(NodeCommandEnvelope command) {
        String workerId = switch (command.getPayload()) {
            case PrepareWorker prepare -> prepare.getWorkerId();
            case LaunchProcess launch -> launch.getWorkerId();
            case StopProcess stop -> stop.getWorkerId();
            case DestroyWorker destroy -> destroy.getWorkerId();
            default -> NO_WORKER;
        };
        return workerId == null ? NO_WORKER : "worker:" + workerId;
    }
}
