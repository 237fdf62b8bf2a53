package io.sluice.cli.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.sluice.cli.Console;

/** Copies a child's output to the console line by line, each line labelled with the child's name. */
final class OutputRelay {

    private final Thread thread;

    private OutputRelay(Thread thread) {
        this.thread = thread;
    }

    static OutputRelay start(String label, InputStream output, Console console) {
        Thread thread = Thread.ofPlatform().daemon().name("relay-" + label).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    console.line(label, line);
                }
            } catch (IOException closedUnderUs) {
                // The child is gone and its pipe with it: nothing more to relay.
            }
        });
        return new OutputRelay(thread);
    }

    /** Waits for the child's last lines to be printed, so that they come before what the cli says next. */
    void awaitEnd(Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
