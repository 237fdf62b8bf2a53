package io.sluice.runner.store.inputs;

/** A job input that cannot be provided, with a reason a person can act on (which input, from where, why). */
public final class InputUnavailableException extends Exception {

    private final String input;

    public InputUnavailableException(String input, String message) {
        super(message);
        this.input = input;
    }

    public InputUnavailableException(String input, String message, Throwable cause) {
        super(message, cause);
        this.input = input;
    }

    /** The input's path in the job, as the job spec names it. */
    public String input() {
        return input;
    }
}
