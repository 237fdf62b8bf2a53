package io.sluice.runner.domain;

/**
 * How a node runs its jobs' processes: in runc containers, as plain host processes (a laptop), or, with AUTO, in runc
 * containers when the host offers what they need and as plain host processes otherwise.
 */
public enum IsolationMode {
    RUNC,
    NONE,
    AUTO
}
