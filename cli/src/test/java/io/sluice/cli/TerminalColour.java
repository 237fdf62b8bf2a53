package io.sluice.cli;

import java.util.Map;

/** The colour a command gets on a terminal, for tests of other packages that check what it paints. */
public final class TerminalColour {

    private TerminalColour() {
    }

    public static Colour on() {
        return Colour.decide(true, Map.of("TERM", "xterm"));
    }
}
