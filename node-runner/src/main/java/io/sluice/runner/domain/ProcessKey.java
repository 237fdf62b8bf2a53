package io.sluice.runner.domain;

import java.util.Objects;

/** Identifies one process on a node: a worker (a job's slot on this node) and the process's name in the job. */
public record ProcessKey(String workerId, String processName) {

    public ProcessKey {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(processName, "processName");
    }

    @Override
    public String toString() {
        return workerId + "/" + processName;
    }
}
