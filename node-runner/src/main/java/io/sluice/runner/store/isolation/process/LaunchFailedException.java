package io.sluice.runner.store.isolation.process;

/** A process could not be started; the message says why in words a person can act on. */
public class LaunchFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public LaunchFailedException(String message) {
        super(message);
    }

    public LaunchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
