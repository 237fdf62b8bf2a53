package io.sluice.runner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.events.GrantedResource;
import io.sluice.events.SecretLocation;
import io.sluice.events.SecretRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker's resources become variables and file names only when they can, and never a secret a variable. */
class ResourceEnvironmentTest {

    @Test
    void each_metadata_value_becomes_a_variable_named_by_its_type_and_key_upper_cased() {
        Map<String, String> env = ResourceEnvironment.of(List.of(
                resource("r1", "scratch-db", Map.of("host", "db.internal", "db.name", "job_1"), List.of()),
                resource("r2", "lab.slot", Map.of("bench", "7"), List.of())));

        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SLUICE_RESOURCE_SCRATCH_DB_HOST", "db.internal",
                "SLUICE_RESOURCE_SCRATCH_DB_DB_NAME", "job_1",
                "SLUICE_RESOURCE_LAB_SLOT_BENCH", "7"));
    }

    @Test
    void a_metadata_key_named_like_a_secret_of_its_resource_never_becomes_a_variable() {
        Map<String, String> env = ResourceEnvironment.of(List.of(resource("r1", "token",
                Map.of("audience", "jobs", "jwt", "not-here"), List.of(secret("jwt")))));

        assertThat(env).containsOnlyKeys("SLUICE_RESOURCE_TOKEN_AUDIENCE");
    }

    @Test
    void two_values_under_one_variable_name_are_refused_naming_both() {
        assertThatThrownBy(() -> ResourceEnvironment.of(List.of(
                resource("r1", "scratch-db", Map.of("host", "a"), List.of()),
                resource("r2", "scratch", Map.of("db_host", "b"), List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'host' of resource r1 (scratch-db)")
                .hasMessageContaining("'db_host' of resource r2 (scratch)")
                .hasMessageContaining("SLUICE_RESOURCE_SCRATCH_DB_HOST");
    }

    @Test
    void types_and_secret_names_that_cannot_be_file_names_are_refused() {
        assertThat(ResourceEnvironment.fileNameProblem(List.of(resource("r1", "../up", Map.of(), List.of()))))
                .contains("r1", "'../up'");
        assertThat(ResourceEnvironment.fileNameProblem(List.of(resource("r1", "db.json", Map.of(), List.of()))))
                .contains("'.json'");
        assertThat(ResourceEnvironment.fileNameProblem(List.of(resource("r1", "db", Map.of(),
                List.of(secret("a/b")))))).contains("secret name 'a/b'");
        assertThat(ResourceEnvironment.fileNameProblem(List.of(resource("r1", "db", Map.of(),
                List.of(secret("pw"), secret("pw")))))).contains("two secrets named 'pw'");
        assertThat(ResourceEnvironment.fileNameProblem(List.of(resource("r1", "db", Map.of(), List.of()),
                resource("r2", "db", Map.of(), List.of())))).contains("r1 and r2", "type 'db'");
        assertThat(ResourceEnvironment.fileNameProblem(List.of(resource("r1", "db", Map.of(),
                List.of(secret("password")))))).isNull();
    }

    private static GrantedResource resource(String id, String type, Map<String, String> metadata,
                                            List<SecretRef> secrets) {
        return new GrantedResource(id, type, Map.copyOf(metadata), secrets);
    }

    private static SecretRef secret(String name) {
        return new SecretRef(name, new SecretLocation("file:///run/secrets/" + name));
    }
}
