package io.sluice.compose;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool a check needs; a missing tool fails the check with how to install it, never skips it. */
final class ExternalTool {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a finished command printed (stdout and stderr together) and how it exited. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ExternalTool() {
    }

    /** The command that validates compose files: Debian's docker-compose 1.29, or else Docker's `compose` plugin. */
    static List<String> composeCommand() {
        Optional<Path> standalone = onPath("docker-compose");
        if (standalone.isPresent()) {
            return List.of(standalone.get().toString());
        }
        Optional<Path> docker = onPath("docker");
        if (docker.isPresent() && run(List.of(docker.get().toString(), "compose", "version")).succeeded()) {
            return List.of(docker.get().toString(), "compose");
        }
        return fail(missing("docker-compose (or the `docker compose` plugin)", "docker-compose"));
    }

    /** The path of {@code name} on the PATH. */
    static Path require(String name, String debianPackage) {
        return onPath(name).orElseGet(() -> fail(missing(name, debianPackage)));
    }

    static Result run(List<String> command) {
        return run(command, Map.of());
    }

    /** Runs {@code command} with {@code environment} added to the checks' own. */
    static Result run(List<String> command, Map<String, String> environment) {
        try {
            Path output = Files.createTempFile("sluice-compose-check", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command);
                builder.environment().putAll(environment);
                Process process = builder
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return fail("%s did not finish within %s", command, TIMEOUT);
                }
                return new Result(process.exitValue(), Files.readString(output));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return fail("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command, e);
        }
    }

    private static Optional<Path> onPath(String name) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private static String missing(String tool, String debianPackage) {
        return tool + " is not on the PATH. The compose module's checks need it and do not skip without it."
                + " On Debian or Ubuntu: apt-get install -y " + debianPackage
                + " (the checks use the Debian packages docker-compose and prometheus).";
    }
}
