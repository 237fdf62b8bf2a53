package io.sluice.cli.jobs;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One {@code --step NAME=COMMAND}: a step that runs COMMAND as a script with {@code /bin/sh -c}. */
record StepArgument(String name, String command) {

    /** Splits at the first '=': the command may hold '=' itself ({@code --step env=FOO=1 env}). */
    static final class Converter implements ITypeConverter<StepArgument> {

        @Override
        public StepArgument convert(String text) {
            int equals = text.indexOf('=');
            if (equals < 0) {
                throw new TypeConversionException("'" + text + "' has no '=': write NAME=COMMAND, e.g. build='make all'");
            }
            String name = text.substring(0, equals).trim();
            String command = text.substring(equals + 1);
            if (name.isEmpty()) {
                throw new TypeConversionException("'" + text + "' has no step name before '=': write NAME=COMMAND");
            }
            if (command.isBlank()) {
                throw new TypeConversionException("step '" + name + "' has no command after '=': write NAME=COMMAND");
            }
            return new StepArgument(name, command);
        }
    }
}
