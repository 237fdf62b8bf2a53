package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Prints what is wrong with the command line and where the help is, instead of the whole help text; exits 2. */
final class ReportUsageError implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        command.getErr().println(name + ": " + error.getMessage());
        command.getErr().println("Run '" + name + " --help' for the options.");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }
}
