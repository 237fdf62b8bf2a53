package io.sluice.compose;

import static io.sluice.compose.UnpackedImages.config;
import static io.sluice.compose.UnpackedImages.containerConfig;
import static io.sluice.compose.UnpackedImages.manifest;
import static io.sluice.compose.UnpackedImages.requireImages;
import static io.sluice.compose.UnpackedImages.requireRoot;
import static io.sluice.compose.UnpackedImages.runInImage;
import static io.sluice.compose.UnpackedImages.strings;
import static io.sluice.compose.UnpackedImages.tar;
import static io.sluice.compose.UnpackedImages.tarball;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tarballs the build writes (`<service>/target/jib-image.tar`, images/README.md) are what compose runs: their
 * tags, entrypoint, user and layers, and, unpacked and started without a container engine, a root file system whose
 * Java loads each service's main class and whose node runner has the tools its isolation runs.
 */
class ImageTarballTest {

    @TempDir
    static Path unpacked;

    @BeforeAll
    static void theBuildMadeTheImages() {
        requireImages();
    }

    @Test
    void each_image_is_tagged_with_the_build_version_and_the_tag_compose_runs() {
        String repository = Stack.buildProperty("sluice.image.repository");
        for (String service : Stack.SERVICES) {
            JsonNode manifest = manifest(service);

            assertThat(strings(manifest.get("RepoTags"))).as(service).containsExactlyInAnyOrder(
                    repository + "/" + service + ":" + Stack.buildProperty("sluice.version"),
                    repository + "/" + service + ":" + Stack.buildProperty("sluice.image.tag"));
        }
    }

    @Test
    void each_image_starts_its_service_main_class_with_the_serial_collector() {
        List<String> java = List.of("java", "-XX:+UseSerialGC", "-cp", "@/app/jib-classpath-file");
        for (String service : Stack.SERVICES) {
            List<String> expected = new ArrayList<>(java);
            expected.add(Stack.mainClass(service));
            if (service.equals("node-runner")) {
                expected.addFirst("/usr/local/bin/sluice-node-init");
            }

            assertThat(strings(containerConfig(service).get("Entrypoint"))).as(service).isEqualTo(expected);
            assertThat(containerConfig(service).path("Cmd").isMissingNode()
                    || containerConfig(service).path("Cmd").isNull()).as(service + " has no Cmd").isTrue();
        }
    }

    @Test
    void the_database_services_run_unprivileged_and_node_runner_as_root() {
        for (String service : Stack.SERVICES) {
            String user = containerConfig(service).path("User").asText();

            assertThat(user).as(service).isEqualTo(Stack.DATABASE_SERVICES.contains(service) ? "10001:10001" : "root");
            assertThat(containerConfig(service).path("WorkingDir").asText()).as(service).isEqualTo("/app");
            assertThat(strings(containerConfig(service).get("Env"))).as(service)
                    .contains("JAVA_HOME=/opt/java/openjdk").anyMatch(env -> env.startsWith("PATH=/opt/java/openjdk/bin:"));
        }
    }

    @Test
    void every_layer_the_manifest_lists_is_in_the_tarball_and_in_the_configuration() {
        for (String service : Stack.SERVICES) {
            List<String> layers = strings(manifest(service).get("Layers"));
            List<String> entries = List.of(tar("-tf", tarball(service).toString()).split("\n"));
            JsonNode config = config(service);

            // The base's Debian and Java layers, then Jib's: dependencies, project dependencies, resources, classes...
            assertThat(layers).as(service).hasSizeGreaterThanOrEqualTo(5);
            assertThat(entries).as(service).containsAll(layers).contains("config.json", "manifest.json");
            assertThat(config.at("/rootfs/diff_ids")).as(service + ": one diff id per layer").hasSize(layers.size());
            assertThat(config.path("architecture").asText()).as(service + ": the build machine's").isEqualTo(
                    switch (System.getProperty("os.arch")) {
                        case "aarch64" -> "arm64";
                        case "x86_64" -> "amd64";
                        default -> System.getProperty("os.arch");
                    });
            assertThat(config.path("os").asText()).as(service).isEqualTo("linux");
        }
    }

    @Test
    void each_image_runs_its_entrypoint_to_the_main_class_as_its_user_without_a_container_engine() {
        requireRoot();
        for (String service : Stack.SERVICES) {
            Path rootfs = rootFileSystem(service);
            List<String> entrypoint = new ArrayList<>(strings(containerConfig(service).get("Entrypoint")));
            // --dry-run: the JVM starts and loads the main class from the image's class path, but runs no main.
            entrypoint.add(entrypoint.indexOf("java") + 1, "--dry-run");

            ExternalTool.Result result = runInImage(service, rootfs, entrypoint);

            assertThat(result.succeeded()).as("%s: %s said:%n%s", service, entrypoint, result.output()).isTrue();
        }
    }

    @Test
    void a_main_class_missing_from_the_image_fails_the_same_run() {
        requireRoot();
        Path rootfs = rootFileSystem("job-service");
        List<String> command = List.of("java", "--dry-run", "-cp", "@/app/jib-classpath-file", "io.sluice.NoSuchMain");

        ExternalTool.Result result = runInImage("job-service", rootfs, command);

        assertThat(result.succeeded()).as(result.output()).isFalse();
        assertThat(result.output()).contains("io.sluice.NoSuchMain");
    }

    @Test
    void the_node_runner_image_has_the_tools_its_isolation_runs() {
        requireRoot();
        Path rootfs = rootFileSystem("node-runner");
        Map<List<String>, String> tools = Map.of(
                List.of("runc", "--version"), "runc version",
                List.of("tini", "--version"), "tini version",
                List.of("ip", "-V"), "iproute2",
                List.of("nft", "--version"), "nftables",
                List.of("curl", "--version"), "curl");

        for (Map.Entry<List<String>, String> tool : tools.entrySet()) {
            ExternalTool.Result result = runInImage("node-runner", rootfs, tool.getKey());

            assertThat(result.succeeded()).as("%s said:%n%s", tool.getKey(), result.output()).isTrue();
            assertThat(result.output()).as(tool.getKey().toString()).contains(tool.getValue());
        }
    }

    @Test
    void the_node_runner_entrypoint_moves_the_processes_of_its_own_cgroup_namespace_root_into_a_child_cgroup()
            throws IOException {
        requireRoot();
        Path cgroup = testCgroup();
        try {
            // As Docker starts a container on a cgroup v2 host: a cgroup namespace whose root is the container's cgroup.
            String seen = inNodeRunnerCgroup(cgroup, List.of("--cgroup"));

            assertThat(seen).as("the entrypoint's command, after sluice-node-init").contains("0::/init\n");
            assertThat(cgroup.resolve("init")).isDirectory();
        } finally {
            removeCgroup(cgroup);
        }
    }

    @Test
    void the_node_runner_entrypoint_leaves_the_cgroups_of_the_host_namespace_alone() throws IOException {
        requireRoot();
        Path cgroup = testCgroup();
        try {
            // As with `cgroup: host`: the container shares the host's hierarchy, which is not its to rearrange.
            String seen = inNodeRunnerCgroup(cgroup, List.of());

            assertThat(seen).contains("0::/" + cgroup.getFileName() + "\n");
            assertThat(cgroup.resolve("init")).doesNotExist();
        } finally {
            removeCgroup(cgroup);
        }
    }

    /**
     * Runs node-runner's entrypoint script in its unpacked image, in {@code cgroup} (on the host's cgroup2 hierarchy:
     * all of it on a v2 host, the controller-less /sys/fs/cgroup/unified on a hybrid one), mounted at the image's
     * /sys/fs/cgroup; returns the cgroup the script's command then runs in, as /proc/self/cgroup says it.
     */
    private static String inNodeRunnerCgroup(Path cgroup, List<String> namespaces) {
        Path rootfs = rootFileSystem("node-runner");
        List<String> unshare = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc"));
        unshare.addAll(namespaces);
        unshare.addAll(List.of("--root=" + rootfs, "sh", "-c", "mkdir -p /sys/fs/cgroup"
                + " && mount -t cgroup2 cgroup2 /sys/fs/cgroup"
                + " && exec /usr/local/bin/sluice-node-init grep ^0:: /proc/self/cgroup"));
        List<String> command = List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec \"$@\"",
                "sh");
        List<String> all = new ArrayList<>(command);
        all.addAll(unshare);

        ExternalTool.Result result = ExternalTool.run(all);

        assertThat(result.succeeded()).as("%s said:%n%s", all, result.output()).isTrue();
        return result.output();
    }

    private static Path testCgroup() throws IOException {
        Path hierarchy = cgroup2Mount();
        return Files.createDirectory(hierarchy.resolve("sluice-image-test-" + ProcessHandle.current().pid()));
    }

    private static void removeCgroup(Path cgroup) throws IOException {
        Files.deleteIfExists(cgroup.resolve("init"));
        Files.deleteIfExists(cgroup);
    }

    /** Where the host mounts the cgroup2 hierarchy, from the mount table. */
    private static Path cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                return Path.of(halves[0].split(" ")[4]);
            }
        }
        assumeTrue(false, "this host mounts no cgroup2 hierarchy (cgroup v1 alone): the script's move cannot be shown");
        throw new IllegalStateException("unreachable");
    }

    @Test
    void the_database_service_images_have_curl_for_their_healthchecks() {
        requireRoot();
        Path rootfs = rootFileSystem("worker-factory");

        ExternalTool.Result result = runInImage("worker-factory", rootfs, List.of("curl", "--version"));

        assertThat(result.succeeded()).as(result.output()).isTrue();
    }

    private static Path rootFileSystem(String service) {
        return UnpackedImages.rootFileSystem(service, unpacked);
    }
}
