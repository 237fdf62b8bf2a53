package io.sluice.runner.isolation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a command through a small detached shell that outlives the runner and writes the command's exit status to
 * the process's state dir, so that a restarted runner still learns how the process ended.
 *
 * <p>The shell runs in its own session (setsid): neither a terminal's Ctrl-C nor the end of the runner's process
 * group reaches it. It traps the stop signals with a no-op so that, without isolation, signalling the process group
 * reaches the command but not the shell, which must stay to record the status.
 */
final class Shim {

    private static final String SCRIPT = "s=$1 o=$2 e=$3; shift 3; trap : HUP INT QUIT TERM; "
            + "\"$@\" </dev/null >>\"$o\" 2>>\"$e\"; echo $? >\"$s\"";
    private static final Path SETSID = findSetsid();

    private Shim() {
    }

    static Process start(StateDir dir, ProcessRecord record, List<String> command, Map<String, String> env, Path cwd)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of(SETSID.toString(), "/bin/sh", "-c", SCRIPT, "sluice-shim",
                dir.exitStatusFile().toString(), record.stdoutLog(), record.stderrLog()));
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.shimLog().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.shimLog().toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process shim = builder.start();
        dir.writeShimPid(shim.pid()); // setsid execs in place: the pid is the shell's
        return shim;
    }

    /** Whether the shim of this state dir still runs (the pid is checked against its command line, not reused). */
    static boolean alive(StateDir dir) {
        var pid = dir.readShimPid();
        if (pid.isEmpty()) {
            return false;
        }
        try {
            byte[] cmdline = ProcFiles.readBytes(Path.of("/proc", Long.toString(pid.getAsLong()), "cmdline"));
            String text = new String(cmdline, StandardCharsets.UTF_8);
            return text.contains(dir.exitStatusFile().toString()) && !isZombie(pid.getAsLong());
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

    static boolean setsidAvailable() {
        return SETSID.isAbsolute();
    }
}
