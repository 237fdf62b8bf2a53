package io.sluice.compose;

import static io.sluice.compose.Stack.list;
import static io.sluice.compose.Stack.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml is a valid compose file, and it wires the services the way the modules expect. */
class ComposeFileTest {

    /** The file as compose reads it, its variables set from {@code environment} or else their defaults. */
    static Map<String, Object> resolvedFile(Map<String, String> environment) {
        List<String> command = new ArrayList<>(ExternalTool.composeCommand());
        command.addAll(List.of("-f", Stack.composeFile().toString(), "config"));

        ExternalTool.Result result = ExternalTool.run(command, environment);

        assertThat(result.succeeded()).as("%s said:%n%s", command, result.output()).isTrue();
        return new Yaml().load(result.output());
    }

    @Test
    void compose_accepts_the_file() {
        List<String> command = new ArrayList<>(ExternalTool.composeCommand());
        command.addAll(List.of("-f", Stack.composeFile().toString(), "config", "-q"));

        ExternalTool.Result result = ExternalTool.run(command);

        assertThat(result.succeeded()).as("%s said:%n%s", command, result.output()).isTrue();
    }

    @Test
    void every_service_runs_the_image_the_build_makes_and_publishes_its_own_port() {
        String repository = Stack.buildProperty("sluice.image.repository");
        String tag = Stack.buildProperty("sluice.image.tag");
        Map<String, Object> resolved = map(resolvedFile(Map.of()), "services");

        for (String service : Stack.SERVICES) {
            Map<String, Object> compose = Stack.composeService(service);
            int port = Stack.httpPort(service);

            assertThat(compose).as(service + " runs the build's image, built by no Dockerfile").doesNotContainKey("build");
            assertThat(map(resolved, service)).as(service + ", with compose/.env's defaults")
                    .containsEntry("image", repository + "/" + service + ":" + tag);
            assertThat(list(compose, "ports")).as(service).containsExactly(port + ":" + port);
        }
        assertThat(Stack.dir().resolve("Dockerfile")).doesNotExist();
    }

    @Test
    void the_image_repository_and_tag_of_a_registry_can_be_chosen_without_editing_the_file() {
        Map<String, Object> resolved = map(resolvedFile(
                Map.of("SLUICE_IMAGE_REPOSITORY", "registry.example.com/team", "SLUICE_IMAGE_TAG", "0.1.0")),
                "services");

        for (String service : Stack.SERVICES) {
            assertThat(map(resolved, service)).as(service)
                    .containsEntry("image", "registry.example.com/team/" + service + ":0.1.0");
        }
    }

    @Test
    void every_service_is_health_checked_on_its_health_endpoint_and_restarted() {
        for (String service : Stack.SERVICES) {
            Map<String, Object> compose = Stack.composeService(service);

            assertThat(list(map(compose, "healthcheck"), "test")).as(service)
                    .contains("http://localhost:" + Stack.httpPort(service) + "/health");
            assertThat(compose).as(service).containsEntry("restart", "unless-stopped");
        }
        for (String infrastructure : List.of("kafka", "postgres")) {
            assertThat(Stack.composeService(infrastructure)).as(infrastructure).containsKey("healthcheck");
        }
    }

    @Test
    void services_start_once_their_broker_and_database_are_healthy() {
        for (String service : Stack.SERVICES) {
            Map<String, Object> dependsOn = map(Stack.composeService(service), "depends_on");
            assertThat(map(dependsOn, "kafka")).as(service).containsEntry("condition", "service_healthy");
            if (Stack.DATABASE_SERVICES.contains(service)) {
                assertThat(map(dependsOn, "postgres")).as(service).containsEntry("condition", "service_healthy");
            } else {
                assertThat(dependsOn).as(service + " has no database").doesNotContainKey("postgres");
            }
        }
    }

    @Test
    void services_reach_the_broker_through_the_listener_it_advertises_on_the_compose_network() {
        Map<String, Object> kafka = map(Stack.composeService("kafka"), "environment");
        List<String> advertised = List.of(((String) kafka.get("KAFKA_ADVERTISED_LISTENERS")).split(","));

        for (String service : Stack.SERVICES) {
            String bootstrap = (String) map(Stack.composeService(service), "environment")
                    .get("SLUICE_KAFKA_BOOTSTRAP_SERVERS");
            assertThat(advertised).as(service).anyMatch(listener -> listener.endsWith("://" + bootstrap));
        }
        assertThat(advertised).as("a listener for clients on the host").contains("HOST://localhost:9092");
        assertThat(list(Stack.composeService("kafka"), "ports")).contains("9092:9092");
    }

    @Test
    void database_services_share_one_database_and_node_runner_has_none() {
        for (String service : Stack.SERVICES) {
            Map<String, Object> environment = map(Stack.composeService(service), "environment");
            if (Stack.DATABASE_SERVICES.contains(service)) {
                assertThat(environment).as(service)
                        .containsEntry("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://postgres:5432/sluice")
                        .containsKeys("DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD");
            } else {
                assertThat(environment.keySet()).as(service).noneMatch(name -> name.startsWith("DATASOURCES_"));
            }
        }
        assertThat(map(Stack.composeService("postgres"), "environment")).containsEntry("POSTGRES_DB", "sluice");
    }

    @Test
    void node_runner_may_create_namespaces_cgroups_and_network_namespaces_for_runc() {
        Map<String, Object> nodeRunner = Stack.composeService("node-runner");

        assertThat(nodeRunner).containsEntry("privileged", true).containsEntry("user", "root");
        // runc's state, the runner's runtime dir and /run/netns live as long as the container's processes.
        assertThat(list(nodeRunner, "tmpfs")).containsExactly("/run");
        // The image's entrypoint readies the container's cgroup on a cgroup v2 host: compose must not replace it.
        assertThat(nodeRunner).doesNotContainKeys("entrypoint", "command");
    }

    @Test
    void every_file_the_stack_mounts_exists() {
        for (Map.Entry<String, Object> service : Stack.composeServices().entrySet()) {
            Object volumes = ((Map<?, ?>) service.getValue()).get("volumes");
            for (Object volume : volumes == null ? List.of() : (List<?>) volumes) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(Stack.dir().resolve(source)).as(service.getKey() + " mounts " + source).exists();
                }
            }
        }
    }
}
