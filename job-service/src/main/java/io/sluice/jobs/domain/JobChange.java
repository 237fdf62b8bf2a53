package io.sluice.jobs.domain;

import java.util.List;

/**
 * A job after one input, with what the input made the saga send; {@code before} is null for a job just submitted,
 * and an input that changes nothing leaves the same job and sends nothing.
 */
public record JobChange(Job before, Job after, List<Outgoing> events) {

    public JobChange {
        events = List.copyOf(events);
    }

    public boolean changed() {
        return !after.equals(before);
    }
}
