package io.sluice.runner.store.isolation.process;

import io.sluice.runner.domain.ProcessLimits;
import io.sluice.runner.domain.ProcessSpec;
import io.sluice.runner.domain.WorkerDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Checks a spec before anything starts, so that bad input fails with a message a person can act on. */
public final class LaunchChecks {

    /** Names that end up in file names, cgroup paths and hostnames. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    public static final long MIN_MEMORY_BYTES = 4L << 20;
    public static final int MIN_PIDS = 2;
    public static final int MIN_OPEN_FILES = 16;
    public static final int MIN_CPU_SHARES = 2;
    public static final int MAX_CPU_SHARES = 262_144;
    private static final long HOST_MAX_OPEN_FILES = hostMaxOpenFiles();

    /** How the node can check that a user may execute a host file. */
    @FunctionalInterface
    public interface ExecutePermission {
        boolean allows(Path hostFile) throws IOException;
    }

    private LaunchChecks() {
    }

    public static void identity(ProcessSpec spec) throws LaunchFailedException {
        requireSafeName("jobId", spec.jobId());
        if (spec.workerId() == null || spec.workerId().isBlank()) {
            throw new LaunchFailedException("workerId is missing");
        }
        requireSafeName("processName", spec.processName());
        if (spec.argv().isEmpty() || spec.argv().get(0) == null || spec.argv().get(0).isBlank()) {
            throw new LaunchFailedException("argv is empty: give the program to run as its first element");
        }
        for (String arg : spec.argv()) {
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw new LaunchFailedException("argv contains a null or a NUL character: " + spec.argv());
            }
        }
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().indexOf('\0') >= 0
                    || e.getValue().indexOf('\0') >= 0) {
                throw new LaunchFailedException("invalid environment variable name or value: " + e.getKey());
            }
        }
        WorkerDirectories dirs = spec.dirs();
        if (dirs == null || dirs.data() == null || dirs.tmp() == null || dirs.logs() == null) {
            throw new LaunchFailedException("the worker's data, tmp and logs directories are required");
        }
        if (dirs.resources() != null && !Files.isDirectory(dirs.resources())) {
            throw new LaunchFailedException("resources directory " + dirs.resources() + " does not exist");
        }
        if (spec.stopGrace() != null && spec.stopGrace().isNegative()) {
            throw new LaunchFailedException("stopGrace must not be negative, got " + spec.stopGrace());
        }
    }

    /** The limits to apply: the requested ones over the node's defaults, each checked. */
    public static ProcessLimits limits(ProcessLimits requested, ProcessLimits defaults) throws LaunchFailedException {
        ProcessLimits limits = (requested == null ? ProcessLimits.NODE_DEFAULTS : requested).orElse(defaults);
        if (limits.memoryBytes() != null && limits.memoryBytes() < MIN_MEMORY_BYTES) {
            throw new LaunchFailedException("invalid limit: memoryBytes must be >= " + MIN_MEMORY_BYTES
                    + " (4 MiB), got " + limits.memoryBytes());
        }
        if (limits.pids() != null && limits.pids() < MIN_PIDS) {
            throw new LaunchFailedException("invalid limit: pids must be >= " + MIN_PIDS
                    + " (tini, the init, is one of them), got " + limits.pids());
        }
        long maxOpenFiles = HOST_MAX_OPEN_FILES;
        if (limits.openFiles() != null && (limits.openFiles() < MIN_OPEN_FILES || limits.openFiles() > maxOpenFiles)) {
            throw new LaunchFailedException("invalid limit: openFiles must be between " + MIN_OPEN_FILES + " and "
                    + maxOpenFiles + " (fs.nr_open), got " + limits.openFiles());
        }
        if (limits.cpuShares() != null
                && (limits.cpuShares() < MIN_CPU_SHARES || limits.cpuShares() > MAX_CPU_SHARES)) {
            throw new LaunchFailedException("invalid limit: cpuShares must be between " + MIN_CPU_SHARES + " and "
                    + MAX_CPU_SHARES + ", got " + limits.cpuShares());
        }
        return limits;
    }

    public static Duration stopGrace(ProcessSpec spec, NodeSettings settings) {
        return spec.stopGrace() != null ? spec.stopGrace() : settings.defaultStopGrace();
    }

    /** The absolute working directory as the process sees it; it must exist. */
    public static String workdir(String requested, String dataDir, Function<String, Optional<Path>> toHost)
            throws LaunchFailedException {
        String workdir = requested == null || requested.isBlank() ? dataDir
                : Path.of(dataDir).resolve(requested).normalize().toString();
        Optional<Path> host = toHost.apply(workdir);
        if (host.isEmpty() || !Files.isDirectory(host.get())) {
            throw new LaunchFailedException("workdir " + workdir + " does not exist"
                    + host.map(h -> " (host path " + h + ")").orElse(""));
        }
        return workdir;
    }

    /** Checks that {@code program} resolves, as execvp would, to a file the process may execute. */
    public static void executable(String program, String workdir, String path, Function<String, Optional<Path>> toHost,
                                  ExecutePermission permission, String who) throws LaunchFailedException {
        if (program.contains("/")) {
            String absolute = Path.of(workdir).resolve(program).normalize().toString();
            Optional<Path> host = toHost.apply(absolute);
            if (host.isEmpty() || !Files.exists(host.get(), LinkOption.NOFOLLOW_LINKS)) {
                throw new LaunchFailedException("executable " + program + " not found");
            }
            if (Files.isSymbolicLink(host.get())) {
                return; // its target is resolved inside the container, where we cannot look before it starts
            }
            if (!Files.isRegularFile(host.get()) || !allows(permission, host.get())) {
                throw new LaunchFailedException("executable " + program + " is not an executable file for " + who);
            }
            return;
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Optional<Path> host = toHost.apply(Path.of(workdir).resolve(dir).resolve(program).toString());
            if (host.isPresent() && Files.isRegularFile(host.get()) && allows(permission, host.get())) {
                return;
            }
        }
        throw new LaunchFailedException("executable " + program + " not found in PATH " + path);
    }

    private static boolean allows(ExecutePermission permission, Path file) {
        try {
            return permission.allows(file);
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireSafeName(String what, String value) throws LaunchFailedException {
        if (value == null || !SAFE_NAME.matcher(value).matches()) {
            throw new LaunchFailedException("invalid " + what + " '" + value
                    + "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static long hostMaxOpenFiles() {
        try {
            return Long.parseLong(ProcFiles.read(Path.of("/proc/sys/fs/nr_open")).strip());
        } catch (IOException | NumberFormatException e) {
            return 1_048_576;
        }
    }
}
