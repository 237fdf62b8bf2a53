package io.sluice.factory.edge.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.sluice.factory.domain.Worker;
import io.sluice.factory.store.WorkerStore.WorkerRecord;

/** A placed worker as `GET /workers` shows it. */
@Serdeable
public record WorkerView(String workerId, String jobId, int attempt, String target, String nodeId, String state,
                         boolean releaseOwed, String placedAt, @Nullable String assignedAt,
                         @Nullable String destroyAskedAt, @Nullable String endedAt, @Nullable String reason) {

    static WorkerView of(WorkerRecord record) {
        Worker worker = record.worker();
        return new WorkerView(worker.workerId(), worker.jobId(), worker.attempt(), worker.target(), worker.nodeId(),
                worker.state().name(), worker.releaseOwed(), NodeView.text(record.placedAt()),
                NodeView.text(record.assignedAt()), NodeView.text(record.destroyAskedAt()),
                NodeView.text(record.endedAt()), record.reason());
    }
}
