package io.sluice.jobs.domain;

import org.apache.avro.specific.SpecificRecord;

/** An event or command the saga decided to send, addressed by what it concerns; publish/ picks topic and key. */
public sealed interface Outgoing {

    SpecificRecord payload();

    /** An event of the job's own history. */
    record JobEvent(SpecificRecord payload) implements Outgoing {
    }

    /** A demand, release or withdrawal for the resource well of {@code resourceType}. */
    record ToResourceWell(String resourceType, SpecificRecord payload) implements Outgoing {
    }

    /** A demand, release or withdrawal for the worker factory serving {@code target}. */
    record ToWorkerFactory(String target, SpecificRecord payload) implements Outgoing {
    }

    /** A command for the node runner of {@code nodeId}. */
    record ToNode(String nodeId, SpecificRecord payload) implements Outgoing {
    }
}
