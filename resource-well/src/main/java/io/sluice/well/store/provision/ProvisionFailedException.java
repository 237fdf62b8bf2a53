package io.sluice.well.store.provision;

/** A provisioner could not do its work; the message says why in words a person can act on, never a secret. */
public final class ProvisionFailedException extends Exception {

    public ProvisionFailedException(String message) {
        super(message);
    }

    public ProvisionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
