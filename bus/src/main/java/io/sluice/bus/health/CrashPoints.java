package io.sluice.bus.health;

/** Called when the plumbing passes a {@link CrashPoint}; in production it does nothing, crash tests halt the JVM. */
@FunctionalInterface
public interface CrashPoints {

    CrashPoints NONE = point -> { };

    void reached(CrashPoint point);
}
