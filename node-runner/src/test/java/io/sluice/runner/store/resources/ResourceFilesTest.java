package io.sluice.runner.store.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.bus.secrets.SecretKeyRing;
import io.sluice.bus.secrets.SecretSealer;
import io.sluice.events.GrantedResource;
import io.sluice.events.SecretRef;
import io.sluice.runner.store.isolation.process.JobUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's resource files are written whole, the same again when asked again, and removed without a trace. */
class ResourceFilesTest {

    @TempDir
    Path workerDir;

    private final SecretSealer sealer = new SecretSealer(SecretKeyRing.of(Map.of("k1", SecretKeyRing.generateKey()),
            "k1"));
    private final ResourceFiles files = new ResourceFiles(new ResourceSecrets(sealer), JobUser.RUNNER);

    @Test
    void writing_again_gives_the_same_files_and_removing_leaves_nothing_of_the_read_only_tree() throws Exception {
        Path dir = workerDir.resolve("resources");
        List<GrantedResource> resources = List.of(resource("res-1", "token", "jwt", "eyJ.one"));

        files.write(dir, resources);
        String json = Files.readString(dir.resolve("token.json"));
        files.write(dir, resources);

        assertThat(Files.readString(dir.resolve("token.json"))).isEqualTo(json)
                .isEqualTo("{\"resourceId\":\"res-1\",\"type\":\"token\",\"metadata\":{\"audience\":\"jobs\"},"
                        + "\"secrets\":[\"jwt\"]}");
        assertThat(Files.readString(dir.resolve("token/jwt"))).isEqualTo("eyJ.one");
        try (Stream<Path> tree = Files.list(dir)) {
            assertThat(tree.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("token.json", "token");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("r-x------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token.json"))))
                .isEqualTo("r--------");

        ResourceFiles.remove(dir);
        assertThat(dir).doesNotExist();
    }

    @Test
    void a_secret_that_does_not_open_leaves_no_file_and_its_reason_no_value() throws Exception {
        Path dir = workerDir.resolve("resources");
        GrantedResource good = resource("res-1", "token", "jwt", "eyJ.good");
        GrantedResource moved = GrantedResource.newBuilder(resource("res-2", "lab", "key", "lab-key-value"))
                .setResourceId("res-3").build();

        assertThatThrownBy(() -> files.write(dir, List.of(good, moved)))
                .isInstanceOf(ResourceSecretException.class)
                .hasMessageContaining("res-3")
                .hasMessageNotContaining("lab-key-value");
        assertThat(dir).doesNotExist();
    }

    @Test
    void no_resources_leave_no_directory() throws Exception {
        Path dir = workerDir.resolve("resources");
        files.write(dir, List.of(resource("res-1", "token", "jwt", "eyJ.one")));

        files.write(dir, List.of());

        assertThat(dir).doesNotExist();
    }

    private GrantedResource resource(String id, String type, String secret, String value) {
        return new GrantedResource(id, type, Map.of("audience", "jobs"),
                List.of(new SecretRef(secret, sealer.seal(id, secret, value))));
    }
}
