package io.sluice.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;

/** Finds the Sluice checkout this cli was built in, where the service jars are. */
public final class RepositoryLocation {

    private RepositoryLocation() {
    }

    /**
     * The checkout holding this cli's code: both {@code <repo>/cli/target/sluice-cli.jar} and
     * {@code <repo>/cli/target/classes} sit three levels below it. Elsewhere (a copied jar), the current directory.
     */
    public static Path ofThisCli() {
        Path target = codeLocation().getParent();
        if (isNamed(target, "target") && isNamed(target.getParent(), "cli")) {
            return target.getParent().getParent();
        }
        return Path.of("").toAbsolutePath();
    }

    private static Path codeLocation() {
        CodeSource source = Sluice.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Path.of("").toAbsolutePath();
        }
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException notAFile) {
            return Path.of("").toAbsolutePath();
        }
    }

    private static boolean isNamed(Path path, String name) {
        return path != null && path.getFileName() != null && path.getFileName().toString().equals(name);
    }
}
