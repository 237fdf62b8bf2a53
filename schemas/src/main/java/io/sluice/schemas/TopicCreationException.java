package io.sluice.schemas;

/** A catalogue topic could not be created; the message names the topic and the broker's reason. */
public final class TopicCreationException extends RuntimeException {

    public TopicCreationException(String message, Throwable cause) {
        super(message, cause);
    }
}
