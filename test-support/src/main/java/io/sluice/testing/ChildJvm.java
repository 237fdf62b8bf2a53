package io.sluice.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A test's main class run in a JVM of its own, so that a test can kill it and start it again. */
public final class ChildJvm {

    /**
     * Children still running when this JVM exits (a benchmark stopped with Ctrl-C, a test run interrupted) are stopped
     * with it, as SIGTERM would stop a service, then killed: left running, they would spoil the next run's numbers.
     */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration STOP_ON_EXIT = Duration.ofSeconds(5);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::stopAllRunning, "child-jvm-stopper"));
    }

    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildJvm start(String label, Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return launch(label, command);
    }

    /**
     * Runs {@code java -jar jar} (a service, say) with {@code systemProperties} as {@code -D} options and the
     * given JVM options (say, a quick start for tests, or none to run as in production).
     */
    public static ChildJvm startJar(String label, Path jar, Map<String, String> systemProperties,
                                    List<String> jvmOptions) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: package its module first");
        }
        List<String> command = new ArrayList<>();
        systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return launch(label, command);
    }

    private static ChildJvm launch(String label, List<String> arguments) throws IOException {
        Path output = Files.createTempFile("child-" + label + "-", ".log");
        output.toFile().deleteOnExit();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return new ChildJvm(process, output);
    }

    private static void stopAllRunning() {
        RUNNING.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_ON_EXIT.toNanos();
        for (Process child : RUNNING) {
            try {
                if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }
    }

    /** Waits for the child to exit by itself; fails the test with its output if it does not in time. */
    public int awaitExit(Duration deadline) throws Exception {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not exit within " + deadline + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** Asks the child to stop (SIGTERM) and waits for it. */
    public int stop(Duration deadline) throws Exception {
        process.destroy();
        return awaitExit(deadline);
    }

    /** Kills the child as kill -9 does, with no chance to clean up, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Freezes the child (SIGSTOP): it stays alive but does nothing, as a hung or partitioned host does. */
    public void suspend() throws Exception {
        signal("STOP");
    }

    /** Lets a suspended child go on (SIGCONT). */
    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
        }
    }

    public String output() throws IOException {
        return Files.readString(output);
    }
}
