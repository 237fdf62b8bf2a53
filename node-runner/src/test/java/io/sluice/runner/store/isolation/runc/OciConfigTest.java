package io.sluice.runner.store.isolation.runc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.WorkerDirectories;
import io.sluice.runner.domain.ProcessEnvironment;
import io.sluice.runner.store.isolation.process.ProcessStateJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bundle's config.json says what the node runtime contract in node-runner/README.md says (checked without running
 * anything).
 */
class OciConfigTest {

    private final WorkerDirectories dirs = new WorkerDirectories(Path.of("/w/data"), Path.of("/w/tmp"),
            Path.of("/logs"), Path.of("/w/store"), Path.of("/w/resources"));
    private final ProcessSpec spec = new ProcessSpec("job-1", "worker-1", "web", List.of("/bin/server", "-v"),
            Map.of(), null, null, null, null, dirs, null);
    private final ContainerLayout layout = ContainerLayout.of(spec, Path.of("/usr/bin/tini-static"));
    private final JsonNode config = parse(OciConfig.build(layout, new OciConfig.Inputs(spec.argv(),
            ProcessEnvironment.of(spec, layout.view(), ProcessEnvironment.DEFAULT_PATH), "/sluice/data", 65534, 65534,
            "job-1", new ProcessLimits(64L << 20, 100, 256, 512), "/sluice/job-1/c", "/state/rootfs", true, null,
            List.of("/etc/sluice", "/usr/local/sluice-state"))));

    @Test
    void text_that_needs_escaping_survives_the_trip() {
        ProcessSpec odd = new ProcessSpec("job-1", "worker-1", "web", List.of("/bin/echo", "say \"hi\"\\\n\t\u0001é"),
                Map.of("QUOTE", "a\"b"), null, null, null, null, dirs, null);
        JsonNode parsed = parse(OciConfig.build(layout, new OciConfig.Inputs(odd.argv(),
                ProcessEnvironment.of(odd, layout.view(), ProcessEnvironment.DEFAULT_PATH), "/sluice/data", 1, 1,
                "job-1", new ProcessLimits(null, null, null, null), "/c", "/rootfs", false, null, List.of())));

        assertThat(texts(parsed.path("process").path("args"))).endsWith("say \"hi\"\\\n\t\u0001é");
        assertThat(texts(parsed.path("process").path("env"))).contains("QUOTE=a\"b");
        assertThat(parsed.path("linux").path("resources").has("memory")).isFalse();
        assertThat(parsed.path("process").path("rlimits")).isEmpty();
    }

    @Test
    void the_process_runs_unprivileged_under_tini() {
        JsonNode process = config.path("process");
        assertThat(texts(process.path("args"))).containsExactly("/sluice/tini", "-g", "--", "/bin/server", "-v");
        assertThat(process.path("user").path("uid").asInt()).isEqualTo(65534);
        assertThat(process.path("noNewPrivileges").asBoolean()).isTrue();
        for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) {
            assertThat(process.path("capabilities").path(set)).as(set).isEmpty();
        }
        assertThat(texts(process.path("env"))).contains("TMPDIR=/sluice/tmp", "HOME=/sluice/data",
                "SLUICE_JOB_ID=job-1", "SLUICE_RESOURCES_DIR=/sluice/resources");
        assertThat(process.path("rlimits").get(0).path("type").asText()).isEqualTo("RLIMIT_NOFILE");
        assertThat(process.path("rlimits").get(0).path("hard").asInt()).isEqualTo(256);
    }

    @Test
    void the_host_is_read_only_and_the_jobs_directories_writable() {
        assertThat(config.path("root").path("readonly").asBoolean()).isTrue();
        for (String system : ContainerLayout.SYSTEM_DIRS) {
            mount(system).ifPresent(m -> assertThat(texts(m.path("options"))).as(system)
                    .contains("bind", "ro", "nosuid", "nodev").doesNotContain("rbind", "rw"));
        }
        assertThat(mount("/usr")).isPresent();
        assertThat(source("/sluice/data")).isEqualTo("/w/data");
        assertThat(source("/tmp")).isEqualTo("/w/tmp");
        assertThat(source("/var/tmp")).isEqualTo("/w/tmp");
        assertThat(source("/sluice/tmp")).isEqualTo("/w/tmp");
        assertThat(source("/sluice/logs")).isEqualTo("/logs/job-1");
        assertThat(source("/sluice/store")).isEqualTo("/w/store");
        assertThat(texts(mount("/sluice/data").orElseThrow().path("options"))).contains("rw", "nosuid", "nodev");
        assertThat(texts(mount("/sluice/resources").orElseThrow().path("options"))).contains("ro");
        assertThat(texts(mount("/sys").orElseThrow().path("options"))).contains("ro");
    }

    @Test
    void namespaces_limits_and_masked_paths_are_those_of_the_contract() {
        JsonNode linux = config.path("linux");
        List<String> namespaces = new ArrayList<>();
        linux.path("namespaces").forEach(n -> namespaces.add(n.path("type").asText()));
        assertThat(namespaces).containsExactlyInAnyOrder("pid", "ipc", "uts", "mount");
        assertThat(config.path("hostname").asText()).isEqualTo("job-1");
        JsonNode resources = linux.path("resources");
        assertThat(resources.path("memory").path("limit").asLong()).isEqualTo(64L << 20);
        assertThat(resources.path("memory").path("swap").asLong()).isEqualTo(64L << 20);
        assertThat(resources.path("pids").path("limit").asInt()).isEqualTo(100);
        assertThat(resources.path("cpu").path("shares").asInt()).isEqualTo(512);
        assertThat(texts(linux.path("maskedPaths"))).contains("/proc/kcore", "/proc/keys", "/sys/firmware");
        assertThat(texts(linux.path("readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
        assertThat(linux.path("cgroupsPath").asText()).isEqualTo("/sluice/job-1/c");
    }

    @Test
    void the_node_s_own_paths_are_masked_and_a_worker_without_a_network_of_its_own_shares_the_host_s() {
        assertThat(texts(config.path("linux").path("maskedPaths")))
                .contains("/proc/kcore", "/etc/sluice", "/usr/local/sluice-state");
        config.path("linux").path("namespaces")
                .forEach(n -> assertThat(n.path("type").asText()).isNotEqualTo("network"));
    }

    @Test
    void a_worker_s_network_namespace_is_joined_by_its_path() {
        JsonNode joined = parse(OciConfig.build(layout, new OciConfig.Inputs(spec.argv(), Map.of(), "/sluice/data",
                1, 1, "job-1", new ProcessLimits(null, null, null, null), "/c", "/rootfs", false,
                "/run/netns/sluice-0123456789ab-worker-1", List.of())));

        List<String> network = new ArrayList<>();
        joined.path("linux").path("namespaces").forEach(n -> {
            if (n.path("type").asText().equals("network")) {
                network.add(n.path("path").asText());
            }
        });
        assertThat(network).containsExactly("/run/netns/sluice-0123456789ab-worker-1");
    }

    @Test
    void container_paths_map_to_their_host_directories() {
        assertThat(layout.toHost("/sluice/data/sub/file")).contains(Path.of("/w/data/sub/file"));
        assertThat(layout.toHost("/tmp/x")).contains(Path.of("/w/tmp/x"));
        assertThat(layout.toHost("/usr/bin/env")).contains(Path.of("/usr/bin/env"));
        assertThat(layout.toHost("/opt/x")).isEmpty();
        assertThat(layout.toHost("/sluice/data/../../etc")).contains(Path.of("/etc"));
    }

    private java.util.Optional<JsonNode> mount(String destination) {
        for (JsonNode mount : config.path("mounts")) {
            if (mount.path("destination").asText().equals(destination)) {
                return java.util.Optional.of(mount);
            }
        }
        return java.util.Optional.empty();
    }

    private String source(String destination) {
        return mount(destination).orElseThrow().path("source").asText();
    }

    private static JsonNode parse(String json) {
        try {
            return ProcessStateJson.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("config.json is not JSON: " + json, e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
