package io.sluice.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The released versions of every topic's value schema, kept as resources of this module so that events written
 * with any of them stay readable forever.
 *
 * <p>Layout: {@code io/sluice/schemas/released/versions.txt} lists the versions in release order, one per line
 * ({@code v1}, {@code v2}...); {@code io/sluice/schemas/released/<version>/<topic name>.avsc} is the complete,
 * self-contained writer schema of a topic's values in that version.
 */
public final class ReleasedSchemas {

    /** One released schema of one topic. */
    public record Release(String version, Topic topic, Schema schema) {
    }

    static final String ROOT = "io/sluice/schemas/released/";
    static final String VERSIONS_FILE = "versions.txt";
    private static final Pattern VERSION = Pattern.compile("v[1-9][0-9]*");

    private ReleasedSchemas() {
    }

    /** The released versions, oldest first. */
    public static List<String> versions() {
        return Loaded.VERSIONS;
    }

    /** Every released schema of the topic, oldest first; a topic added after a release is absent from it. */
    public static List<Release> of(Topic topic) {
        return Loaded.RELEASES.stream().filter(release -> release.topic() == topic).toList();
    }

    /** The topic's schema in the newest release that has it. */
    public static Optional<Release> latest(Topic topic) {
        List<Release> releases = of(topic);
        return releases.isEmpty() ? Optional.empty() : Optional.of(releases.getLast());
    }

    /** The resource path of a topic's schema in a version. */
    public static String resourcePath(String version, Topic topic) {
        return ROOT + version + "/" + topic.topicName() + ".avsc";
    }

    /** Loads the resources once, on first use. */
    private static final class Loaded {
        static final List<String> VERSIONS = readVersions();
        static final List<Release> RELEASES = readReleases(VERSIONS);

        private static List<String> readVersions() {
            String text = readResource(ROOT + VERSIONS_FILE)
                    .orElseThrow(() -> new IllegalStateException("missing resource " + ROOT + VERSIONS_FILE));
            List<String> versions = text.lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            for (String version : versions) {
                if (!VERSION.matcher(version).matches()) {
                    throw new IllegalStateException(ROOT + VERSIONS_FILE + ": '" + version + "' is not a version like v1");
                }
            }
            return versions;
        }

        private static List<Release> readReleases(List<String> versions) {
            List<Release> releases = new ArrayList<>();
            for (String version : versions) {
                for (Topic topic : Topic.values()) {
                    String path = resourcePath(version, topic);
                    // Each file is parsed on its own: a released schema must not depend on any other file.
                    readResource(path).ifPresent(json -> releases.add(new Release(version, topic, parse(path, json))));
                }
            }
            return List.copyOf(releases);
        }

        private static Schema parse(String path, String json) {
            try {
                return new Schema.Parser().parse(json);
            } catch (RuntimeException e) {
                throw new IllegalStateException("released schema " + path + " does not parse: " + e.getMessage(), e);
            }
        }

        private static Optional<String> readResource(String path) {
            try (InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(path)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource " + path, e);
            }
        }
    }
}
