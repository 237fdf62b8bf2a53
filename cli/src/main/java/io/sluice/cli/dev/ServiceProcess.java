package io.sluice.cli.dev;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.sluice.cli.CliFailure;
import io.sluice.cli.Console;

/** One service running as a child JVM: output relayed to the console, stopped by SIGTERM and, if need be, killed. */
final class ServiceProcess {

    private static final Duration LAST_OUTPUT_WAIT = Duration.ofSeconds(2);

    private final SluiceService service;
    private final Process process;
    private final OutputRelay output;
    private final Console console;
    private final long launchedAt = System.nanoTime();
    private volatile boolean stopping;
    private volatile boolean runningWhenAskedToStop;

    private ServiceProcess(SluiceService service, Process process, OutputRelay output, Console console) {
        this.service = service;
        this.process = process;
        this.output = output;
        this.console = console;
    }

    /** Starts {@code java -jar <service>.jar} with the given environment added to this cli's own. */
    static ServiceProcess launch(SluiceService service, Path jar, Path workingDirectory, Map<String, String> environment,
                                 Console console, Consumer<ServiceProcess> onUnexpectedExit) {
        return launch(service, javaCommand(jar), workingDirectory, environment, console, onUnexpectedExit);
    }

    /** The command line of a service's JVM. */
    static List<String> javaCommand(Path jar) {
        return List.of(DevSettings.currentJava().toString(),
                // Four JVMs starting at once on a laptop: the quick compiler alone and the serial collector bring all
                // of them UP in about two thirds of the time, and a dev system needs no peak throughput.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // The compression libraries of the Kafka client load native code; without this JDK 24+ warns.
                "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString());
    }

    /**
     * Starts {@code command} as the service's process; {@code onUnexpectedExit} hears of its exit unless it was asked
     * to stop or killed first.
     */
    static ServiceProcess launch(SluiceService service, List<String> command, Path workingDirectory,
                                 Map<String, String> environment, Console console,
                                 Consumer<ServiceProcess> onUnexpectedExit) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // The services read no input; a closed stdin keeps them from waiting on the terminal.
            process.getOutputStream().close();
            ServiceProcess child = new ServiceProcess(service, process,
                    OutputRelay.start(service.moduleName(), process.getInputStream(), console), console);
            process.onExit().thenRun(() -> {
                if (!child.stopping) {
                    child.output.awaitEnd(LAST_OUTPUT_WAIT);
                    onUnexpectedExit.accept(child);
                }
            });
            return child;
        } catch (IOException e) {
            throw new CliFailure("could not start " + service.moduleName() + " (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
    }

    SluiceService service() {
        return service;
    }

    String name() {
        return service.moduleName();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** How long it has been running, or ran until now if it exited a moment ago (as when its exit is reported). */
    Duration upFor() {
        return Duration.ofNanos(System.nanoTime() - launchedAt);
    }

    /** Sends SIGTERM: the service closes its consumers and connections and exits. */
    void requestStop() {
        stopping = true;
        runningWhenAskedToStop = process.isAlive();
        // Through the handle: Process.destroy() would also close our end of its output and lose its last lines.
        process.toHandle().destroy();
    }

    /** Waits until the service exits after {@link #requestStop()}, killing it if it is still running at the deadline. */
    void awaitStop(long deadlineNanos, Duration grace) {
        if (!runningWhenAskedToStop) {
            console.line(DevSystem.LABEL, name() + " had already exited (exit code " + describeExit() + ")");
            return;
        }
        if (!waitFor(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))) {
            console.alert(DevSystem.LABEL, name() + " did not stop within " + grace.toSeconds() + " s of SIGTERM: killing it");
            kill();
            waitFor(Duration.ofSeconds(5));
        }
        output.awaitEnd(LAST_OUTPUT_WAIT);
        console.line(DevSystem.LABEL, name() + " stopped (exit code " + describeExit() + ")");
    }

    /** SIGKILL for the service and whatever it started, children first so that none is left behind. */
    void kill() {
        stopping = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }

    private String describeExit() {
        return process.isAlive() ? "none, still running" : String.valueOf(process.exitValue());
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
