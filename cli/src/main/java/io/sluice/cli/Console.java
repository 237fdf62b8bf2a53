package io.sluice.cli;

import java.io.PrintStream;
import java.util.List;

/** Writes whole lines to standard output from many threads, each line labelled with who said it, never interleaved. */
public final class Console {

    private static final int LABEL_WIDTH = 14;

    private final PrintStream out;

    public Console(PrintStream out) {
        this.out = out;
    }

    public static Console standardOutput() {
        return new Console(System.out);
    }

    /** One line under a label, as {@code job-service    | started}. */
    public void line(String label, String text) {
        synchronized (out) {
            out.println(labelled(label, text));
            out.flush();
        }
    }

    /** Several lines printed together, so that no other thread's line lands between them. */
    public void block(List<String> lines) {
        synchronized (out) {
            lines.forEach(out::println);
            out.flush();
        }
    }

    /** A line meant to be noticed among the services' logs. */
    public void alert(String label, String text) {
        block(List.of(labelled(label, "!!!"), labelled(label, "!!! " + text), labelled(label, "!!!")));
    }

    private static String labelled(String label, String text) {
        return String.format("%-" + LABEL_WIDTH + "s | %s", label, text);
    }
}
