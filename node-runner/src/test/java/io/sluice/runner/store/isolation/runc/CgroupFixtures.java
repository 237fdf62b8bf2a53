package io.sluice.runner.store.isolation.runc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The recorded cgroup trees and mountinfo files under src/test/resources/cgroups, and copies of them to change. */
final class CgroupFixtures {

    private CgroupFixtures() {
    }

    /** A fixture, read in place (never to be written). */
    static Path fixture(String name) {
        try {
            return Path.of(CgroupFixtures.class.getResource("/cgroups/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> mountinfo(String name) throws IOException {
        return Files.readAllLines(fixture("mountinfo/" + name + ".txt"));
    }

    /** A copy of the fixture tree {@code name} in {@code dir}, files and all. */
    static Path copy(String name, Path dir) throws IOException {
        return copy(name, dir, true);
    }

    /**
     * A copy of the fixture tree's directories alone: a cgroup's interface files go with its rmdir, which a plain
     * directory cannot imitate, so a copy to remove cgroups from has none.
     */
    static Path copyDirectories(String name, Path dir) throws IOException {
        return copy(name, dir, false);
    }

    private static Path copy(String name, Path dir, boolean files) throws IOException {
        Path source = fixture(name);
        Path target = dir.resolve(name);
        try (var tree = Files.walk(source)) {
            tree.forEach(from -> {
                Path to = target.resolve(source.relativize(from).toString());
                try {
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else if (files) {
                        Files.copy(from, to);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return target;
    }
}
