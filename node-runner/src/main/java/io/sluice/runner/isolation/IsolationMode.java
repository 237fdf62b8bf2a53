package io.sluice.runner.isolation;

/** How a node runs its jobs' processes: in runc containers, or as plain host processes (a laptop). */
public enum IsolationMode {
    RUNC,
    NONE
}
