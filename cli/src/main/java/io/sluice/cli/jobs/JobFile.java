package io.sluice.cli.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sluice.events.ShutdownSignal;

/**
 * A job described in a JSON or YAML file ({@code sluice submit --file job.json}, {@code job.yaml}): the fields of the job spec by the same
 * names, durations written as text ({@code "runTimeout": "10m"}) and sizes as bytes or text ({@code "512m"}). Every
 * mistake is reported with the path of the field it is in ({@code steps[1].shutdownSignal}), never a stack trace.
 */
record JobFile(String owner, String name, String target, List<Resource> resources, List<Step> steps,
               List<Input> inputs, @JsonDeserialize(using = DurationField.class) Duration runTimeout,
               @JsonDeserialize(using = DurationField.class) Duration queueTimeout, Integer retriesOnNodeLoss,
               String persistentStore, Map<String, String> labels) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    /** The same mapping over YAML's tree: the same fields, the same field paths in every message. */
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    record Resource(String type, Map<String, String> parameters) {
    }

    record Step(String name, List<String> argv, String script, Map<String, String> env, String workdir, Limits limits,
                List<String> capabilities, ShutdownSignal shutdownSignal,
                @JsonDeserialize(using = DurationField.class) Duration stopGrace) {
    }

    record Limits(@JsonDeserialize(using = ByteSizeField.class) Long memoryBytes, Integer pids, Integer openFiles,
                  Integer cpuShares) {
    }

    record Input(String sha256, String fetchUri, String path, Boolean executable, Long sizeBytes) {
    }

    /** A mistake in the file, its message naming the file, the field path and the place. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * Reads and checks the file: its JSON (or YAML, for a name ending in {@code .yaml} or {@code .yml}) must map onto
     * the fields above, and each step needs what it cannot lack.
     */
    static JobFile read(Path file) throws Invalid {
        boolean yaml = isYaml(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Invalid(file + ": no such file");
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read it: " + e.getMessage());
        }
        JobFile job;
        try {
            job = (yaml ? YAML : JSON).readValue(text, JobFile.class);
        } catch (JsonProcessingException e) {
            throw new Invalid(file + ": " + describe(e, yaml ? "YAML" : "JSON"));
        }
        if (job == null) {
            throw new Invalid(file + ": holds null, not a job object");
        }
        List<String> problems = job.problems();
        if (!problems.isEmpty()) {
            throw new Invalid(file + ": " + String.join("; ", problems));
        }
        return job;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** The steps (and everything else) a valid file has, without null lists and maps. */
    List<Step> stepList() {
        return steps == null ? List.of() : steps;
    }

    /** What the mapping cannot catch: required fields, and argv or script. The services check the rest. */
    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<Step> stepList = stepList();
        for (int i = 0; i < stepList.size(); i++) {
            Step step = stepList.get(i);
            String path = "steps[" + i + "]";
            if (step == null) {
                problems.add(path + ": is null, expected a step object");
                continue;
            }
            if (step.name() == null || step.name().isBlank()) {
                problems.add(path + ".name: missing; every step needs a name");
            }
            nullItems(path + ".argv", step.argv(), problems);
            nullValues(path + ".env", step.env(), problems);
            nullItems(path + ".capabilities", step.capabilities(), problems);
            boolean hasArgv = step.argv() != null && !step.argv().isEmpty();
            if (hasArgv == (step.script() != null)) {
                problems.add(path + ": give exactly one of argv (a program and its arguments) and script "
                        + "(run with /bin/sh -c)");
            }
        }
        List<Resource> resourceList = resources == null ? List.of() : resources;
        for (int i = 0; i < resourceList.size(); i++) {
            if (resourceList.get(i) == null || resourceList.get(i).type() == null) {
                problems.add("resources[" + i + "].type: missing");
            } else {
                nullValues("resources[" + i + "].parameters", resourceList.get(i).parameters(), problems);
            }
        }
        List<Input> inputList = inputs == null ? List.of() : inputs;
        for (int i = 0; i < inputList.size(); i++) {
            Input input = inputList.get(i);
            String path = "inputs[" + i + "]";
            if (input == null) {
                problems.add(path + ": is null, expected an input object");
                continue;
            }
            if (input.sha256() == null) {
                problems.add(path + ".sha256: missing");
            }
            if (input.fetchUri() == null) {
                problems.add(path + ".fetchUri: missing");
            }
            if (input.path() == null) {
                problems.add(path + ".path: missing");
            }
        }
        nullValues("labels", labels, problems);
        return problems;
    }

    private static void nullItems(String path, List<String> items, List<String> problems) {
        if (items != null && items.contains(null)) {
            problems.add(path + "[" + items.indexOf(null) + "]: is null, expected a string");
        }
    }

    private static void nullValues(String path, Map<String, String> map, List<String> problems) {
        if (map != null) {
            map.forEach((key, value) -> {
                if (value == null) {
                    problems.add(path + "." + key + ": is null, expected a string");
                }
            });
        }
    }

    /** Jackson's messages name Java types; this says the same in the file's terms. */
    private static String describe(JsonProcessingException e, String format) {
        String where = where(e.getLocation());
        if (!(e instanceof JsonMappingException mapping)) {
            return "not valid " + format + ": " + firstLine(e.getOriginalMessage()) + where;
        }
        String path = path(mapping);
        String what;
        if (mapping instanceof UnrecognizedPropertyException unknown) {
            what = "unknown field '" + unknown.getPropertyName() + "'; the fields here are " + unknown
                    .getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            path = parentOf(path);
        } else if (mapping instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            what = "'" + invalid.getValue() + "' is not one of " + List.of(invalid.getTargetType().getEnumConstants())
                    .stream().map(Object::toString).collect(Collectors.joining(", "));
        } else if (mapping instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                && !(mapping.getCause() instanceof IllegalArgumentException)) {
            what = "expected " + expected(mismatched.getTargetType());
        } else if (mapping.getCause() instanceof StreamReadException syntax) {
            what = "not valid " + format + ": " + firstLine(syntax.getOriginalMessage());
        } else {
            what = firstLine(mapping.getOriginalMessage());
        }
        return (path.isEmpty() ? "" : path + ": ") + what + where;
    }

    private static String expected(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return "a list [...]";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || type == JobFile.class) {
            return "an object {...}";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration as text, e.g. \"30s\"";
        }
        return "a " + type.getSimpleName();
    }

    /** {@code steps[1].env.HOME}, from Jackson's chain of references. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** A duration written as text: {@code "30s"}, {@code "5m"}, {@code "1h30m"}. */
    static final class DurationField extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.currentToken().isScalarValue() || parser.currentToken().isNumeric()) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            try {
                return DurationText.parse(parser.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }

    /** A size in bytes: a number, or text with a binary unit ({@code "512m"}, {@code "2GiB"}, {@code "64k"}). */
    static final class ByteSizeField extends JsonDeserializer<Long> {
        private static final Pattern SIZE =
                Pattern.compile("(\\d+)\\s*(|b|k|kib|m|mib|g|gib)", Pattern.CASE_INSENSITIVE);

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken().isNumeric()) {
                return parser.getLongValue();
            }
            if (!parser.currentToken().isScalarValue()) {
                return (Long) context.handleUnexpectedToken(Long.class, parser);
            }
            Matcher size = SIZE.matcher(parser.getText().trim());
            if (!size.matches()) {
                throw JsonMappingException.from(parser, "'" + parser.getText() + "' is not a size: write bytes, or a "
                        + "number with k, m or g (binary: 1k = 1024), e.g. \"512m\"");
            }
            long number = Long.parseLong(size.group(1));
            return switch (size.group(2).toLowerCase()) {
                case "k", "kib" -> number << 10;
                case "m", "mib" -> number << 20;
                case "g", "gib" -> number << 30;
                default -> number;
            };
        }
    }
}
