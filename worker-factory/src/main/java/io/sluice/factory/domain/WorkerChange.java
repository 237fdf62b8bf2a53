package io.sluice.factory.domain;

import java.util.List;

/** A worker after a decision, with the events the decision owes; the same worker and no events when nothing happens. */
public record WorkerChange(Worker before, Worker after, List<FactoryEvent> events) {

    public WorkerChange {
        events = List.copyOf(events);
    }

    static WorkerChange none(Worker worker) {
        return new WorkerChange(worker, worker, List.of());
    }

    public boolean changed() {
        return !before.equals(after);
    }

    /** True when this change gave a slot back to the node. */
    public boolean freedSlot() {
        return before.state().holdsSlot() && !after.state().holdsSlot();
    }
}
