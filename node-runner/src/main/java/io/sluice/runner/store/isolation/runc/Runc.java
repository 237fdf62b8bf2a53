package io.sluice.runner.store.isolation.runc;

import io.sluice.runner.store.isolation.process.HostCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The runc commands the node uses, all against the node's own runc state root. */
final class Runc {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path root;

    Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    /**
     * The foreground run the shim executes: runc stays the container's parent and exits with its status; --keep leaves
     * the cgroup so its OOM and peak-memory counters can be read after the exit.
     */
    List<String> runCommand(Path bundle, Path pidFile, Path log, String containerId) {
        return List.of(binary.toString(), "--root", root.toString(), "--log", log.toString(), "--log-format", "json",
                "run", "--keep", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), containerId);
    }

    HostCommands.Result kill(String containerId, String signal, boolean all) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "kill"));
        if (all) {
            command.add("--all");
        }
        command.add(containerId);
        command.add(signal);
        return HostCommands.run(command, TIMEOUT);
    }

    HostCommands.Result delete(String containerId, boolean force) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "delete"));
        if (force) {
            command.add("--force");
        }
        command.add(containerId);
        return HostCommands.run(command, TIMEOUT);
    }
}
