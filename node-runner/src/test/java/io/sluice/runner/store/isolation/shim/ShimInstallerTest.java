package io.sluice.runner.store.isolation.shim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner installs the native shim from its jar once, replaces a different one, starts it through its spawner, and
 * falls back to the JVM to start it, or to the shell shim.
 */
class ShimInstallerTest {

    @TempDir
    Path root;

    @Test
    void the_shim_from_the_jar_is_installed_into_the_state_root_and_used_through_its_spawner() throws Exception {
        try (Shim shim = ShimInstaller.install(root)) {
            assertThat(shim.isNative()).isTrue();
            assertThat(shim.description()).contains(root.resolve("bin/sluice-shim").toString())
                    .contains("started by its spawner");
        }

        Path installed = root.resolve("bin/sluice-shim");
        assertThat(Files.isExecutable(installed)).isTrue();
        assertThat(Files.readAllBytes(installed)).isEqualTo(jarShim());
    }

    @Test
    void a_different_binary_in_the_state_root_is_replaced() throws Exception {
        Path installed = Files.createDirectories(root.resolve("bin")).resolve("sluice-shim");
        Files.writeString(installed, "#!/bin/sh\nexit 1\n");

        try (Shim shim = ShimInstaller.install(root)) {
            assertThat(shim.isNative()).isTrue();
        }
        assertThat(Files.readAllBytes(installed)).isEqualTo(jarShim());
        try (var leftovers = Files.list(root.resolve("bin"))) {
            assertThat(leftovers).containsExactly(installed);
        }
    }

    @Test
    void a_shim_whose_spawner_cannot_run_is_started_by_the_jvm() {
        String shimButNoSpawner = "#!/bin/sh\n[ \"$1\" = --spawner ] && exit 1\n"
                + "s=$1 o=$2 e=$3; shift 3; \"$@\" </dev/null >>\"$o\" 2>>\"$e\"; echo $? >\"$s\"\n";

        Shim shim = ShimInstaller.install(root, new ByteArrayInputStream(shimButNoSpawner.getBytes(
                StandardCharsets.UTF_8)));

        assertThat(shim.isNative()).isTrue();
        assertThat(shim.description()).contains(root.resolve("bin/sluice-shim").toString())
                .doesNotContain("spawner");
    }

    @Test
    void without_the_binary_in_the_jar_the_shell_shim_is_used() {
        Shim shim = ShimInstaller.install(root, null);

        assertThat(shim.isNative()).isFalse();
        assertThat(shim.description()).contains("shell");
    }

    @Test
    void a_binary_that_cannot_run_here_falls_back_to_the_shell_shim() {
        InputStream foreign = new ByteArrayInputStream("\u007fELF not really".getBytes(StandardCharsets.ISO_8859_1));

        Shim shim = ShimInstaller.install(root, foreign);

        assertThat(shim.isNative()).isFalse();
    }

    private static byte[] jarShim() throws Exception {
        try (InputStream in = ShimInstaller.class.getResourceAsStream(ShimInstaller.RESOURCE)) {
            assertThat(in).as("the build puts %s into the jar", ShimInstaller.RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }
}
