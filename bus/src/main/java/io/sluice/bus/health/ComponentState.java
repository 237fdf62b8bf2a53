package io.sluice.bus.health;

/** What one component of a service (a dependency or a background loop) last reported about itself. */
public record ComponentState(Status status, String detail) {

    /** A component is starting, working, or unable to work. */
    public enum Status { STARTING, UP, DOWN }

    public static ComponentState starting(String detail) {
        return new ComponentState(Status.STARTING, detail);
    }

    public static ComponentState up(String detail) {
        return new ComponentState(Status.UP, detail);
    }

    public static ComponentState down(String detail) {
        return new ComponentState(Status.DOWN, detail);
    }
}
