package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.store.isolation.process.ProcessStateDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the native shim shipped in the jar into the state root ({@code <state>/bin/sluice-shim}) and checks that it
 * runs, started by the JVM and by its spawner; where it is missing or cannot run, chooses the shell shim, and where
 * only its spawner fails, lets the JVM start it; either way it says why in one warning.
 */
final class ShimInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ShimInstaller.class);
    /** Built by the module's pom for the build's architecture, named with Java's os.arch ("amd64", "aarch64"). */
    static final String RESOURCE = "sluice-shim-" + System.getProperty("os.arch");
    private static final long TRIAL_TIMEOUT_SECONDS = 10;

    private ShimInstaller() {
    }

    /** The native shim if it is in the jar and runs here, else the shell shim. */
    static Shim install(Path stateRoot) {
        return install(stateRoot, ShimInstaller.class.getResourceAsStream(RESOURCE));
    }

    /** As {@link #install(Path)}, with the binary's content given (null: absent from the jar). */
    static Shim install(Path stateRoot, InputStream binary) {
        Optional<String> problem;
        Path installed = stateRoot.resolve("bin").resolve("sluice-shim");
        if (binary == null) {
            problem = Optional.of(RESOURCE + " is not in the runner's jar (built without a C compiler, or for "
                    + "another architecture)");
        } else {
            problem = installAndTry(binary, installed);
        }
        if (problem.isPresent()) {
            Shim shell = Shim.shell();
            LOG.warn("the native process shim cannot be used: {}; using the {}, which costs about 1 ms more per "
                    + "launch", problem.get(), shell.description());
            return shell;
        }
        Shim shim = withSpawner(Shim.nativeAt(installed), installed);
        LOG.info("process shim: {}", shim.description());
        return shim;
    }

    private static Shim withSpawner(Shim shim, Path installed) {
        ShimSpawner spawner = new ShimSpawner(installed);
        Shim spawned = shim.startedBy(spawner);
        Optional<String> problem;
        try {
            problem = trial(spawned, installed.getParent());
        } catch (IOException | RuntimeException e) {
            problem = Optional.of(e.getMessage());
        }
        if (problem.isPresent()) {
            spawner.close();
            LOG.warn("the process shim's spawner cannot be used: {}; the JVM starts the shims, which costs about a "
                    + "millisecond more per launch", problem.get());
            return shim;
        }
        return spawned;
    }

    private static Optional<String> installAndTry(InputStream binary, Path installed) {
        try (binary) {
            byte[] content = binary.readAllBytes();
            Files.createDirectories(installed.getParent());
            if (!sameContent(installed, content)) {
                // A new file renamed over the old one: shims still running from the old binary keep their inode,
                // and a crash leaves either the old or the new binary, never half of one.
                Path temp = Files.createTempFile(installed.getParent(), ".sluice-shim-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                try {
                    Files.write(temp, content);
                    Files.move(temp, installed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return trial(Shim.nativeAt(installed), installed.getParent());
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot install it at " + installed + ": " + e.getMessage());
        }
    }

    private static boolean sameContent(Path installed, byte[] content) throws IOException {
        return Files.isRegularFile(installed) && Files.size(installed) == content.length
                && Files.isExecutable(installed) && Arrays.equals(Files.readAllBytes(installed), content);
    }

    /** Runs /bin/true under the shim: a noexec mount or a foreign binary shows here, not at a launch. */
    private static Optional<String> trial(Shim shim, Path workDir) throws IOException {
        Path dir = Files.createTempDirectory(workDir, ".trial-");
        try {
            Path status = dir.resolve("exit_status");
            Path log = dir.resolve("shim.log");
            Process trial;
            try {
                trial = shim.spawn(status, "/dev/null", "/dev/null", List.of("/bin/true"), Map.of(), dir, log);
            } catch (IOException e) {
                return Optional.of("cannot run the " + shim.description() + ": " + e.getMessage());
            }
            if (!trial.waitFor(TRIAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                trial.destroyForcibly();
                return Optional.of("the " + shim.description() + " did not finish a trial run of /bin/true within "
                        + TRIAL_TIMEOUT_SECONDS + " s");
            }
            String recorded = Files.exists(status) ? Files.readString(status).strip() : "";
            if (trial.exitValue() != 0 || !recorded.equals("0")) {
                return Optional.of("the " + shim.description() + " failed a trial run of /bin/true (exit "
                        + trial.exitValue() + ", recorded status '" + recorded + "'): "
                        + Files.readString(log).strip());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted during its trial run");
        } finally {
            new ProcessStateDir(dir).delete();
        }
    }
}
