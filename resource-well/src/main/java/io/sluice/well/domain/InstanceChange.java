package io.sluice.well.domain;

import java.util.List;

/** An instance after a decision, with the events the decision owes; the same instance and no events when nothing happens. */
public record InstanceChange(ResourceInstance before, ResourceInstance after, List<WellEvent> events) {

    public InstanceChange {
        events = List.copyOf(events);
    }

    static InstanceChange none(ResourceInstance instance) {
        return new InstanceChange(instance, instance, List.of());
    }

    public boolean changed() {
        return !before.equals(after);
    }

    /** True when this change gave its slot back to the type's capacity, so a waiting demand may be admitted. */
    public boolean freedCapacity() {
        return before.state().holdsCapacity() && !after.state().holdsCapacity();
    }
}
