package io.sluice.well.domain;

/** The whole transition table of a resource instance's life in one place. */
public final class AllowedInstanceStateChanges {

    private AllowedInstanceStateChanges() {
    }

    public static boolean allows(InstanceState from, InstanceState to) {
        return switch (from) {
            // A demand withdrawn while its instance is being made releases it as soon as it is made (or not).
            case PROVISIONING -> to == InstanceState.GRANTED || to == InstanceState.FAILED
                    || to == InstanceState.RELEASING;
            case GRANTED -> to == InstanceState.RELEASING;
            case RELEASING -> to == InstanceState.RELEASED;
            case RELEASED, FAILED -> false;
        };
    }

    static void check(String instanceId, InstanceState from, InstanceState to) {
        if (!allows(from, to)) {
            throw new IllegalStateException("resource instance " + instanceId + " cannot go from " + from + " to "
                    + to);
        }
    }
}
