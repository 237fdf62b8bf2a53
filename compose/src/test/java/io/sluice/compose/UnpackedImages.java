package io.sluice.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build's image tarballs (`<service>/target/jib-image.tar`) as the checks read them, and their root file systems
 * unpacked and started with `unshare`, as a container engine would start them, on a machine without one.
 */
final class UnpackedImages {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Path> ROOT_FILE_SYSTEMS = new ConcurrentHashMap<>();

    private UnpackedImages() {
    }

    /** Skips the calling check when the build made no images (-Djib.skip). */
    static void requireImages() {
        assumeFalse(Boolean.parseBoolean(Stack.buildProperty("jib.skip")), "the build ran with -Djib.skip: no images");
    }

    /** Skips the calling check where it cannot start a root file system: unshare's namespaces need root. */
    static void requireRoot() {
        String uid = ExternalTool.run(List.of("id", "-u")).output().trim();
        assumeTrue(uid.equals("0"), "starting an image's root file system with unshare needs root (this build runs"
                + " as uid " + uid + "); the tarballs' structure is checked all the same");
    }

    static Path tarball(String service) {
        Path tarball = Stack.repositoryRoot().resolve(service + "/target/jib-image.tar");
        if (!Files.isRegularFile(tarball)) {
            fail("%s is missing: the images are built in `package` (jib:buildTar); build them first with"
                    + " ./mvnw -B package -DskipTests, or the whole reactor with ./mvnw -B verify", tarball);
        }
        return tarball;
    }

    /** The tarball's manifest.json entry: its tags, configuration file and layer files. */
    static JsonNode manifest(String service) {
        JsonNode manifests = json(tar("-xOf", tarball(service).toString(), "manifest.json"));
        assertThat(manifests.size()).as(service + ": images in the tarball").isEqualTo(1);
        return manifests.get(0);
    }

    /** The image's configuration: architecture, layers' diff ids, history, and the container's settings. */
    static JsonNode config(String service) {
        return json(tar("-xOf", tarball(service).toString(), manifest(service).path("Config").asText()));
    }

    /** The container's settings: Entrypoint, User, WorkingDir, Env. */
    static JsonNode containerConfig(String service) {
        return config(service).path("config");
    }

    /** The image's layers unpacked in order into one directory under {@code parent}, once per parent. */
    static Path rootFileSystem(String service, Path parent) {
        return ROOT_FILE_SYSTEMS.computeIfAbsent(parent + "/" + service, key -> {
            String name = service;
            try {
                Path blobs = Files.createDirectories(parent.resolve(name + "-tarball"));
                Path rootfs = Files.createDirectories(parent.resolve(name + "-rootfs"));
                tar("-xf", tarball(name).toString(), "-C", blobs.toString());
                for (String layer : strings(manifest(name).get("Layers"))) {
                    tar("--warning=no-unknown-keyword", "-xzf", blobs.resolve(layer).toString(), "-C", rootfs.toString());
                }
                return rootfs;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The command that runs {@code command} in the unpacked image as the container would: its root file system as /,
     * a PID namespace and /proc of its own (the JVM finds its libraries through /proc/self/exe), its user, working
     * directory and environment plus {@code environment}; everything in it ends with the unshare process.
     */
    static List<String> inImage(String service, Path rootfs, Map<String, String> environment, List<String> command) {
        JsonNode container = containerConfig(service);
        String user = container.path("User").asText();
        String[] ids = user.equals("root") ? new String[] {"0", "0"} : user.split(":");
        List<String> unshare = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
                "--mount-proc", "--root=" + rootfs, "--wd=" + container.path("WorkingDir").asText(),
                "--setuid", ids[0], "--setgid", ids[1], "/usr/bin/env", "-i"));
        unshare.addAll(strings(container.get("Env")));
        environment.forEach((name, value) -> unshare.add(name + "=" + value));
        unshare.addAll(command);
        return unshare;
    }

    /** Runs {@code command} in the unpacked image (see {@link #inImage}) to its end. */
    static ExternalTool.Result runInImage(String service, Path rootfs, List<String> command) {
        return ExternalTool.run(inImage(service, rootfs, Map.of(), command));
    }

    static String tar(String... arguments) {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(arguments));
        ExternalTool.Result result = ExternalTool.run(command);
        assertThat(result.succeeded()).as("%s said:%n%s", command, result.output()).isTrue();
        return result.output();
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
