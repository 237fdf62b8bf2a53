package io.sluice.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints a {@link CliFailure} as one plain message (exit code its own), anything unexpected with its stack trace (1). */
final class ReportFailure implements IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        String name = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();
        if (failure instanceof CliFailure known) {
            err.println(name + ": " + known.getMessage());
            if (known.getCause() != null) {
                err.println("  cause: " + rootCause(known));
            }
            err.flush();
            return known.exitCode();
        }
        err.println(name + ": unexpected failure, please report it with this trace:");
        failure.printStackTrace(err);
        err.flush();
        return FAILED;
    }

    /** The innermost cause usually names the real problem (a port in use, a missing file). */
    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
