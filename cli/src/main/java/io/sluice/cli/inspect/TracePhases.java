package io.sluice.cli.inspect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a job's time went, by the events that bound each phase (the definitions are in cli/README.md, "sluice
 * trace"): queue, resources, placement, prepare, start, run, cleanup. Each phase runs from the last boundary seen
 * before it to its own, so the phases seen add up to the time from submission to the last boundary; a phase whose
 * closing event is missing (the job failed before it, or is not there yet) is listed as not reached.
 */
final class TracePhases {

    private static final Set<String> PROCESS_ENDS = Set.of("ProcessExited", "ProcessLaunchFailed", "ProcessLost");

    /** One phase: its name, what bounds it, and how long it took (null when its closing event was not seen). */
    record Phase(String name, String from, String to, String meaning, Instant endedAt, Duration took) {
    }

    private final Instant submittedAt;
    private final List<Phase> phases;

    private TracePhases(Instant submittedAt, List<Phase> phases) {
        this.submittedAt = submittedAt;
        this.phases = phases;
    }

    static TracePhases of(JobTrace trace) {
        Instant submitted = trace.submittedAt();
        List<Phase> phases = new ArrayList<>();
        Instant previous = submitted;
        String previousName = "submission";
        Object[][] bounds = {
            {"queue", at(trace.first("JobQueued")), "JobQueued", "job-service read, checked and accepted the request"},
            {"resources", at(trace.first("WorkerRequested")), "WorkerRequested", "the job's resources acquired from "
                    + "their wells"},
            {"placement", at(trace.first("WorkerPreparing")), "WorkerPreparing", "worker-factory placed the worker "
                    + "on a node with a free slot (waiting for one included)"},
            {"prepare", at(trace.first("WorkerPrepared")), "WorkerPrepared", "the node prepared the worker: inputs, "
                    + "resources, container"},
            {"start", at(trace.first("ProcessStarted")), "first ProcessStarted", "the node launched the first step"},
            {"run", at(trace.last(PROCESS_ENDS)), "last ProcessExited", "the steps ran, with the hand-overs "
                    + "between them"},
            {"cleanup", at(trace.first("JobCleanedUp")), "JobCleanedUp", "job finished, worker destroyed, "
                    + "resources released"},
        };
        for (Object[] bound : bounds) {
            Instant end = (Instant) bound[1];
            if (end == null) {
                phases.add(new Phase((String) bound[0], previousName, (String) bound[2], (String) bound[3], null,
                        null));
                continue;
            }
            phases.add(new Phase((String) bound[0], previousName, (String) bound[2], (String) bound[3], end,
                    Duration.between(previous, end)));
            previous = end;
            previousName = (String) bound[2];
        }
        return new TracePhases(submitted, phases);
    }

    private static Instant at(TraceEntry entry) {
        return entry == null ? null : entry.at();
    }

    Instant submittedAt() {
        return submittedAt;
    }

    List<Phase> phases() {
        return phases;
    }

    /** From submission to the last boundary seen: the sum of the phases that were reached. */
    Duration total() {
        return phases.stream().filter(phase -> phase.took() != null).map(Phase::took)
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** Whether the job got to its cleanup, so that the total is the job's whole time. */
    boolean complete() {
        return phases.getLast().took() != null;
    }
}
