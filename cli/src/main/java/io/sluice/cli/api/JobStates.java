package io.sluice.cli.api;

import java.util.Set;
import java.util.function.UnaryOperator;

import io.sluice.cli.Colour;

/** How a job's state is painted: green when it succeeded, red when it ended otherwise or was rejected. */
final class JobStates {

    private static final Set<String> UNSUCCESSFUL = Set.of("FAILED", "TIMED_OUT", "CANCELLED", "REJECTED");

    private JobStates() {
    }

    static UnaryOperator<String> paint(String state, Colour colour) {
        if ("SUCCEEDED".equals(state)) {
            return colour::success;
        }
        return UNSUCCESSFUL.contains(state) ? colour::failure : UnaryOperator.identity();
    }
}
