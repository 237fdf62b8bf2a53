package io.sluice.cli;

/**
 * A failure the user can act on: its message is printed as is, without a stack trace, and the command exits with
 * its exit code (1 unless the command documents another).
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(String message) {
        this(message, null, ReportFailure.FAILED);
    }

    public CliFailure(String message, Throwable cause) {
        this(message, cause, ReportFailure.FAILED);
    }

    public CliFailure(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
