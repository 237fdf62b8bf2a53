package io.sluice.runner.store.isolation.process;

/** Whether runc isolation can work on this host, and if not, what is missing. */
public record Availability(boolean available, String reason) {

    public static Availability yes() {
        return new Availability(true, "runc isolation is available");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
