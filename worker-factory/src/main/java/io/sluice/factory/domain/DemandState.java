package io.sluice.factory.domain;

/** What became of a worker demand: waiting in its target's queue, given a worker, withdrawn, or refused. */
public enum DemandState {
    /** Waits for a free slot, in FIFO order of its target. */
    QUEUED,
    /** Got a worker on a node. */
    PLACED,
    /** The job withdrew it before it got a worker (or before the factory saw it). */
    WITHDRAWN,
    /** Refused at once: its target is unknown. */
    REJECTED
}
