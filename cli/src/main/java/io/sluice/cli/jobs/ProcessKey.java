package io.sluice.cli.jobs;

import io.sluice.events.logs.LogChunk;

/** One run of a step's process: the worker it ran on (one per attempt) and the process (step) name. */
record ProcessKey(String workerId, String process) {

    static ProcessKey of(LogChunk chunk) {
        return new ProcessKey(chunk.getWorkerId(), chunk.getProcess());
    }
}
