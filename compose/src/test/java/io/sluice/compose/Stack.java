package io.sluice.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The compose stack's files as the checks read them: the module's directory, the compose file, the services. */
final class Stack {

    /** The four Sluice services: module name = compose service = Prometheus job. */
    static final List<String> SERVICES = List.of("job-service", "resource-well", "worker-factory", "node-runner");

    /** The services that keep state in PostgreSQL (node-runner keeps its own on its host's disk). */
    static final List<String> DATABASE_SERVICES = List.of("job-service", "resource-well", "worker-factory");

    private Stack() {
    }

    /** compose/, wherever the build runs from (surefire sets basedir to the module's directory). */
    static Path dir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    static Path repositoryRoot() {
        return dir().getParent();
    }

    static Path composeFile() {
        return dir().resolve("docker-compose.yml");
    }

    static Map<String, Object> composeServices() {
        return map(yaml(composeFile()), "services");
    }

    static Map<String, Object> composeService(String name) {
        return map(composeServices(), name);
    }

    /** A setting of the Maven build that the module's pom hands to the checks (surefire's system properties). */
    static String buildProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new AssertionError("the build property " + name + " is not set: run the checks through Maven"
                    + " (./mvnw -pl compose verify), whose compose/pom.xml passes it");
        }
        return value;
    }

    /** The main class a service module's jar and image start (exec.mainClass in its pom). */
    static String mainClass(String module) {
        try {
            String pom = Files.readString(repositoryRoot().resolve(module + "/pom.xml"));
            Matcher matcher = Pattern.compile("<exec.mainClass>([^<]+)</exec.mainClass>").matcher(pom);
            if (!matcher.find()) {
                throw new AssertionError(module + "/pom.xml names no exec.mainClass");
            }
            return matcher.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP port a service module configures for itself (micronaut.server.port in its application.yml). */
    static int httpPort(String module) {
        Map<String, Object> config = yaml(repositoryRoot().resolve(module + "/src/main/resources/application.yml"));
        return (Integer) map(map(config, "micronaut"), "server").get("port");
    }

    /** A YAML file as maps and lists (merge keys resolved). */
    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapping at {@code key}: a check fails with the key's name when the file has something else there. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a mapping at `" + key + "`, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof List)) {
            throw new AssertionError("expected a list at `" + key + "`, found " + value);
        }
        return (List<Object>) value;
    }
}
