package io.sluice.schemas;

/** Bytes that are not an event of the topic they were read from; the message says what is wrong with them. */
public final class UndecodableEventException extends RuntimeException {

    /** What is wrong with the bytes. */
    public enum Problem {
        /** They do not start with the single-object marker C3 01 followed by an 8-byte fingerprint. */
        NOT_SINGLE_OBJECT_ENCODED,
        /** Their schema fingerprint is none of the schema versions this module ships for the topic. */
        UNKNOWN_SCHEMA,
        /** The body does not decode with the schema the fingerprint names. */
        MALFORMED_BODY
    }

    private final Topic topic;
    private final Problem problem;

    public UndecodableEventException(Topic topic, Problem problem, String detail, Throwable cause) {
        super("cannot decode a value of topic " + topic.topicName() + ": " + detail, cause);
        this.topic = topic;
        this.problem = problem;
    }

    public UndecodableEventException(Topic topic, Problem problem, String detail) {
        this(topic, problem, detail, null);
    }

    public Topic topic() {
        return topic;
    }

    public Problem problem() {
        return problem;
    }
}
