package io.sluice.runner.domain;

/** How a node runs its jobs' processes: in runc containers, or as plain host processes (a laptop). */
public enum IsolationMode {
    RUNC,
    NONE
}
