package io.sluice.runner.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner installs the native shim from its jar once, replaces a different one, and falls back to the shell. */
class ShimInstallerTest {

    @TempDir
    Path root;

    @Test
    void theShimFromTheJarIsInstalledIntoTheStateRootAndUsed() throws Exception {
        Shim shim = ShimInstaller.install(root);

        Path installed = root.resolve("bin/sluice-shim");
        assertThat(shim.isNative()).isTrue();
        assertThat(shim.description()).contains(installed.toString());
        assertThat(Files.isExecutable(installed)).isTrue();
        assertThat(Files.readAllBytes(installed)).isEqualTo(jarShim());
    }

    @Test
    void aDifferentBinaryInTheStateRootIsReplaced() throws Exception {
        Path installed = Files.createDirectories(root.resolve("bin")).resolve("sluice-shim");
        Files.writeString(installed, "#!/bin/sh\nexit 1\n");

        Shim shim = ShimInstaller.install(root);

        assertThat(shim.isNative()).isTrue();
        assertThat(Files.readAllBytes(installed)).isEqualTo(jarShim());
        try (var leftovers = Files.list(root.resolve("bin"))) {
            assertThat(leftovers).containsExactly(installed);
        }
    }

    @Test
    void withoutTheBinaryInTheJarTheShellShimIsUsed() {
        Shim shim = ShimInstaller.install(root, null);

        assertThat(shim.isNative()).isFalse();
        assertThat(shim.description()).contains("shell");
    }

    @Test
    void aBinaryThatCannotRunHereFallsBackToTheShellShim() {
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
