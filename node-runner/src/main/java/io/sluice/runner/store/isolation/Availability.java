package io.sluice.runner.store.isolation;

/** Whether runc isolation can work on this host, and if not, what is missing. */
public record Availability(boolean available, String reason) {

    static Availability yes() {
        return new Availability(true, "runc isolation is available");
    }

    static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
