package io.sluice.cli.jobs;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One {@code --env K=V} or {@code --label K=V}; the value may be empty, the key may not. */
record KeyValueArgument(String key, String value) {

    static final class Converter implements ITypeConverter<KeyValueArgument> {

        @Override
        public KeyValueArgument convert(String text) {
            int equals = text.indexOf('=');
            if (equals <= 0) {
                throw new TypeConversionException("'" + text + "' is not KEY=VALUE (the key must not be empty)");
            }
            return new KeyValueArgument(text.substring(0, equals), text.substring(equals + 1));
        }
    }
}
