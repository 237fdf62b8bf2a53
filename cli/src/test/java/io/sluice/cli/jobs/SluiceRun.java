package io.sluice.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.sluice.cli.Sluice;
import io.sluice.testing.IsolatedScope;
import io.sluice.testing.TestOwners;

/** One {@code sluice} command line run in this JVM, its output captured; in the foreground or in the background. */
final class SluiceRun {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    private static Path ownerKeyFile;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private CompletableFuture<Integer> exitCode;

    /** Runs to the end and returns the run. */
    static SluiceRun run(String... args) {
        SluiceRun run = start(args);
        run.awaitExit();
        return run;
    }

    /** Starts the command on another thread. */
    static SluiceRun start(String... args) {
        SluiceRun run = new SluiceRun();
        run.exitCode = CompletableFuture.supplyAsync(() -> Sluice.commandLine()
                .setOut(new PrintWriter(run.out, true)).setErr(new PrintWriter(run.err, true)).execute(args));
        return run;
    }

    /**
     * The arguments that point a job command at the scope's broker and topics, after the command's own; the commands
     * that act for an owner also get a signing key.
     */
    static String[] on(IsolatedScope scope, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--bootstrap-servers", scope.bootstrapServers(), "--topic-prefix", scope.topicPrefix()));
        if (List.of("submit", "cancel").contains(args[0])) {
            all.addAll(List.of("--owner-key", ownerKeyFile().toString()));
        }
        return all.toArray(String[]::new);
    }

    /** alice's test key in a file, written once per test run. */
    static synchronized Path ownerKeyFile() {
        if (ownerKeyFile == null) {
            try {
                Path file = Files.createTempDirectory("sluice-cli-test").resolve("owner-key.pem");
                TestOwners.keyOf("alice").writeTo(file);
                ownerKeyFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ownerKeyFile;
    }

    int awaitExit() {
        try {
            return exitCode.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("sluice did not exit within " + DEADLINE + "; out:\n" + out + "\nerr:\n" + err, e);
        }
    }

    boolean exited() {
        return exitCode.isDone();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    List<String> outLines() {
        return out().lines().toList();
    }

    /** Every fragment appears in the output, each after the one before. */
    void assertOutputInOrder(String... fragments) {
        String output = out();
        int at = 0;
        for (String fragment : fragments) {
            int found = output.indexOf(fragment, at);
            assertThat(found).as("'%s' after position %d of:\n%s", fragment, at, output).isGreaterThanOrEqualTo(0);
            at = found + fragment.length();
        }
    }

    /** A usage or broker error is one plain message: no stack trace. */
    void assertNoStackTrace() {
        assertThat(err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
