package io.sluice.runner.store.resources;

/** A resource's secret could not be opened or read; the message says which and why, never its value. */
public final class ResourceSecretException extends Exception {

    public ResourceSecretException(String message) {
        super(message);
    }
}
