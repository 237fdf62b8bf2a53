package io.sluice.cli;

import picocli.CommandLine.Option;

/**
 * The {@code -o/--output} option every read command shares: {@code text} for people (the default), {@code json} for
 * scripts, one JSON object per line so that a followed stream can be piped to {@code jq} as it comes.
 */
public final class OutputOption {

    /** How a read command writes what it found. */
    public enum Format { TEXT, JSON }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            converter = FormatConverter.class,
            description = "text (for people, the default) or json (one JSON object per line, for scripts).")
    private Format format = Format.TEXT;

    public Format format() {
        return format;
    }

    public boolean json() {
        return format == Format.JSON;
    }

    /** Accepts the format in any case, and names the choices when it is none of them. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format candidate : Format.values()) {
                if (candidate.name().equalsIgnoreCase(value.strip())) {
                    return candidate;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is no output format: text or json");
        }
    }
}
