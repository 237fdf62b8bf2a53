package io.sluice.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Writes the current schema of every topic as the next released version ({@code v<N+1>}) into the module's
 * sources: run through {@code schemas/release-schemas} when a contract change is released (see README.md).
 */
public final class ReleaseSchemaVersion {

    static final String ALLOW_FORWARD_INCOMPATIBLE = "--allow-forward-incompatible";

    private ReleaseSchemaVersion() {
    }

    public static void main(String[] args) throws IOException {
        boolean allowForwardIncompatible = Arrays.asList(args).contains(ALLOW_FORWARD_INCOMPATIBLE);
        Path moduleDir = Arrays.stream(args).filter(arg -> !arg.startsWith("--")).findFirst().map(Path::of)
                .orElse(Files.isDirectory(Path.of("src/main/avro")) ? Path.of(".") : Path.of("schemas"));
        Path releasedDir = moduleDir.resolve("src/main/resources").resolve(ReleasedSchemas.ROOT);
        Path versionsFile = releasedDir.resolve(ReleasedSchemas.VERSIONS_FILE);
        List<String> versions = Files.readAllLines(versionsFile).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        List<Topic> changed = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            Optional<String> released = latestReleasedText(releasedDir, versions, topic);
            if (released.isPresent() && released.get().equals(releaseTextOf(topic))) {
                continue;
            }
            changed.add(topic);
            released.map(text -> new Schema.Parser().parse(text))
                    .ifPresent(old -> refusals.addAll(check(topic, old, allowForwardIncompatible)));
        }
        if (!refusals.isEmpty()) {
            refusals.forEach(System.out::println);
            System.exit(1);
        }
        if (changed.isEmpty()) {
            System.out.println("Nothing to release: every topic's schema equals its latest released version.");
            System.exit(1);
        }

        String version = "v" + (versions.size() + 1);
        Path versionDir = Files.createDirectory(releasedDir.resolve(version));
        for (Topic topic : Topic.values()) {
            Files.writeString(versionDir.resolve(topic.topicName() + ".avsc"), releaseTextOf(topic));
        }
        Files.writeString(versionsFile, version + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println("Released " + version + " in " + versionDir + "; changed since the last release: " + changed);
    }

    /** What a released schema file holds: the complete writer schema, every named type inlined. */
    static String releaseTextOf(Topic topic) {
        return topic.valueSchema().toString(true) + "\n";
    }

    private static List<String> check(Topic topic, Schema released, boolean allowForwardIncompatible) {
        List<String> refusals = new ArrayList<>();
        Compatibility.problems(topic.valueSchema(), released).forEach(problem -> refusals.add(
                topic.topicName() + ": the current schema cannot read released data, never allowed: " + problem));
        if (!allowForwardIncompatible) {
            Compatibility.problems(released, topic.valueSchema()).forEach(problem -> refusals.add(topic.topicName()
                    + ": consumers of the last release could not read new data (" + problem + "); if that is "
                    + "intended, deploy every consumer of the topic before its producers and release with "
                    + ALLOW_FORWARD_INCOMPATIBLE));
        }
        return refusals;
    }

    private static Optional<String> latestReleasedText(Path releasedDir, List<String> versions, Topic topic)
            throws IOException {
        for (String version : versions.reversed()) {
            Path file = releasedDir.resolve(version).resolve(topic.topicName() + ".avsc");
            if (Files.exists(file)) {
                return Optional.of(Files.readString(file));
            }
        }
        return Optional.empty();
    }
}
