package io.sluice.cli.jobs;

import io.sluice.events.logs.LogChunk;

/** One run of a step's process: the worker it ran on (one per attempt) and the process (step) name. */
record StepRun(String workerId, String process) {

    static StepRun of(LogChunk chunk) {
        return new StepRun(chunk.getWorkerId(), chunk.getProcess());
    }
}
