package io.sluice.cli.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.sluice.cli.Sluice;

/** The {@code sluice} command run as a child JVM on the test's class path, its output collected line by line. */
final class CliProcess {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread outputCollector;

    private CliProcess(Process process) {
        this.process = process;
        this.outputCollector = Thread.ofPlatform().daemon().name("cli-output").start(this::collectOutput);
    }

    static CliProcess start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Sluice.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return new CliProcess(process);
    }

    Process process() {
        return process;
    }

    /** Waits until the process has exited and its last line is collected; false if that takes longer than the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                && outputCollector.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    boolean printed(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** Everything printed so far, for assertion messages. */
    String output() {
        return String.join("\n", lines);
    }

    private void collectOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                System.out.println(line);
            }
        } catch (IOException processGone) {
            // Its output ended with it.
        }
    }
}
