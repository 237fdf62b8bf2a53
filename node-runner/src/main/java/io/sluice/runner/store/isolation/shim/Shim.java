package io.sluice.runner.store.isolation.shim;

import io.sluice.runner.store.isolation.process.ProcFiles;
import io.sluice.runner.store.isolation.process.ProcessRecord;
import io.sluice.runner.store.isolation.process.ProcessStateDir;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a command through a small detached shim that outlives the runner and writes the command's exit status to
 * the process's state dir, so that a restarted runner still learns how the process ended.
 *
 * <p>The shim runs in its own session (setsid): neither a terminal's Ctrl-C nor the end of the runner's process
 * group reaches it. It catches the stop signals with a no-op handler so that, without isolation, signalling the
 * process group reaches the command but not the shim, which must stay to record the status. Two variants do exactly
 * that: the native {@code sluice-shim} built with the module ({@code src/main/c/sluice-shim.c}, installed by
 * {@link ShimInstaller}) and, where it cannot run, the same thing as a shell script under {@code setsid}. Both take
 * the exit status file as their first argument, by which {@link #alive} recognises them. The native shim is started
 * through a {@link ShimSpawner} where one runs, else, like the shell shim, by the JVM.
 */
public final class Shim implements AutoCloseable {

    private static final String SCRIPT = "s=$1 o=$2 e=$3; shift 3; trap : HUP INT QUIT TERM; "
            + "\"$@\" </dev/null >>\"$o\" 2>>\"$e\"; echo $? >\"$s\"";
    private static final Path SETSID = findSetsid();

    private final List<String> prefix;
    private final String description;
    private final boolean isNative;
    private final ShimSpawner spawner;

    private Shim(List<String> prefix, String description, boolean isNative, ShimSpawner spawner) {
        this.prefix = List.copyOf(prefix);
        this.description = description;
        this.isNative = isNative;
        this.spawner = spawner;
    }

    /** {@code setsid /bin/sh -c '…'}: needs nothing but util-linux and a shell, costs about 1 ms more per launch. */
    public static Shim shell() {
        return new Shim(List.of(SETSID.toString(), "/bin/sh", "-c", SCRIPT, "sluice-shim"),
                "shell shim (setsid /bin/sh)", false, null);
    }

    /** The native shim at {@code binary}, which calls setsid() itself, started by the JVM. */
    public static Shim nativeAt(Path binary) {
        return new Shim(List.of(binary.toString()), "native shim " + binary, true, null);
    }

    /** This shim, started by {@code spawner}, which this shim then closes. */
    Shim startedBy(ShimSpawner spawner) {
        return new Shim(prefix, description + ", started by its spawner", isNative, spawner);
    }

    /** Which shim this is, for logs and benchmarks. */
    public String description() {
        return description;
    }

    public boolean isNative() {
        return isNative;
    }

    public Process start(ProcessStateDir dir, ProcessRecord record, List<String> command, Map<String, String> env,
                         Path cwd) throws IOException {
        Process shim = spawn(dir.exitStatusFile(), record.stdoutLog(), record.stderrLog(), command, env, cwd,
                dir.shimLog());
        dir.writeShimPid(shim.pid()); // both variants exec in place (setsid too): the pid is the shim's
        return shim;
    }

    /** Starts {@code command} under this shim; the shim's own messages are appended to {@code shimLog}. */
    public Process spawn(Path exitStatus, String stdoutLog, String stderrLog, List<String> command,
                         Map<String, String> env, Path cwd, Path shimLog) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(exitStatus.toString(), stdoutLog, stderrLog));
        argv.addAll(command);
        if (spawner != null) {
            return spawner.spawn(argv, env, cwd, shimLog);
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(shimLog.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(shimLog.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Ends the spawner, if any; the shims it started go on. */
    @Override
    public void close() {
        if (spawner != null) {
            spawner.close();
        }
    }

    /** Whether the shim of this state dir still runs (the pid is checked against its command line, not reused). */
    public static boolean alive(ProcessStateDir dir) {
        var pid = dir.readShimPid();
        if (pid.isEmpty()) {
            return false;
        }
        try {
            return ProcFiles.readIfExists(Path.of("/proc", Long.toString(pid.getAsLong()), "cmdline"))
                    .filter(cmdline -> cmdline.contains(dir.exitStatusFile().toString())).isPresent()
                    && !isZombie(pid.getAsLong());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = ProcFiles.read(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            return end > 0 && stat.length() > end + 2 && stat.charAt(end + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return Path.of("setsid");
    }

    public static boolean setsidAvailable() {
        return SETSID.isAbsolute();
    }
}
