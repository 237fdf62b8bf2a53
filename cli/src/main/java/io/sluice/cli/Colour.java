package io.sluice.cli;

import java.util.Map;

/**
 * Colours the lines that say how something ended (green success, red failure or rejection, yellow a warning), only
 * when standard output is a terminal and never when {@code NO_COLOR} is set, whatever its value
 * (https://no-color.org); piped or captured output never holds an escape code.
 */
public final class Colour {

    private static final String RESET = "\u001b[0m";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[33m";
    private static final Colour NONE = new Colour(false);

    /** What {@link #ofStandardOutput()} gives: none until {@link Sluice#main} has looked at the real terminal. */
    private static volatile Colour standardOutput = NONE;

    private final boolean on;

    private Colour(boolean on) {
        this.on = on;
    }

    /**
     * Colour on only for a terminal (not a pipe, a file or a dumb terminal) and without {@code NO_COLOR} in the
     * environment, even set empty.
     */
    static Colour decide(boolean terminal, Map<String, String> environment) {
        return new Colour(terminal && !environment.containsKey("NO_COLOR")
                && !"dumb".equals(environment.get("TERM")));
    }

    /**
     * Decides for the process's own standard output: since Java 22 {@link System#console()} exists even when output is
     * redirected, so its {@code isTerminal()} is what tells a terminal from a pipe.
     */
    static void useForStandardOutput() {
        standardOutput = decide(standardOutputIsATerminal(), System.getenv());
    }

    /** Console.isTerminal() is Java 22's; the cli is built for 21, where a console exists only on a terminal. */
    private static boolean standardOutputIsATerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** The colour for what a command writes to its standard output (none when run inside another program). */
    public static Colour ofStandardOutput() {
        return standardOutput;
    }

    public static Colour none() {
        return NONE;
    }

    public boolean on() {
        return on;
    }

    public String success(String text) {
        return paint(GREEN, text);
    }

    public String failure(String text) {
        return paint(RED, text);
    }

    public String warning(String text) {
        return paint(YELLOW, text);
    }

    private String paint(String colour, String text) {
        return on ? colour + text + RESET : text;
    }
}
