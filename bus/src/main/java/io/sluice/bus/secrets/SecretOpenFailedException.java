package io.sluice.bus.secrets;

/**
 * A sealed secret did not open: its key is not in the ring, its algorithm is not ours, or it was altered or sealed
 * for another resource or name; the message says which and never holds the value.
 */
public final class SecretOpenFailedException extends Exception {

    public SecretOpenFailedException(String message) {
        super(message);
    }

    public SecretOpenFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
