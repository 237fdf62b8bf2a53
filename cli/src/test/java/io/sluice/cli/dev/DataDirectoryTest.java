package io.sluice.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import io.sluice.cli.CliFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void fresh_empties_a_directory_it_made_and_keeps_otherwise() throws Exception {
        Path root = parent.resolve("dev");
        try (DataDirectory data = DataDirectory.open(root, false)) {
            Files.createDirectories(data.kafka());
            Files.writeString(data.kafka().resolve("log"), "events");
        }
        try (DataDirectory kept = DataDirectory.open(root, false)) {
            assertThat(kept.kafka().resolve("log")).exists();
        }

        try (DataDirectory fresh = DataDirectory.open(root, true)) {
            assertThat(fresh.kafka()).doesNotExist();
            assertThat(root.resolve(DataDirectory.MARKER)).exists();
        }
    }

    @Test
    void refuses_a_directory_it_did_not_make() throws Exception {
        Files.writeString(parent.resolve("thesis.tex"), "years of work");

        assertThatThrownBy(() -> DataDirectory.open(parent, true))
                .isInstanceOf(CliFailure.class)
                .hasMessageContaining("did not create");
        assertThat(parent.resolve("thesis.tex")).exists();
    }

    @Test
    void refuses_a_directory_another_run_is_using() {
        Path root = parent.resolve("dev");
        try (DataDirectory first = DataDirectory.open(root, false)) {
            assertThatThrownBy(() -> DataDirectory.open(root, true))
                    .isInstanceOf(CliFailure.class)
                    .hasMessageContaining("another sluice dev is running");
        }
    }
}
