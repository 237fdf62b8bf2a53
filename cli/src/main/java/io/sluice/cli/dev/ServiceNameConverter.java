package io.sluice.cli.dev;

import io.sluice.cli.CliFailure;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a service by the name users type ({@code job-service}), not by its Java constant name. */
final class ServiceNameConverter implements ITypeConverter<SluiceService> {

    @Override
    public SluiceService convert(String name) {
        try {
            return SluiceService.named(name);
        } catch (CliFailure unknown) {
            throw new TypeConversionException(unknown.getMessage());
        }
    }
}
