package io.sluice.runner.domain;

/** The signal a job asks to receive first when one of its processes is stopped. */
public enum StopSignal {
    TERM,
    INT
}
